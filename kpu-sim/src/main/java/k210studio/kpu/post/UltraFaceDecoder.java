package k210studio.kpu.post;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SSD-style prior-box decoder of the Ultra-Light-Fast-Generic-Face-Detector family (RFB-320 / slim-320, the
 * nncase {@code fast_facedetect} example, and the landmark variant of the {@code facedetect_landmark} example): one
 * prior per cell and size on feature maps of the given strides ({@code ceil(image / stride)} cells, centre
 * {@code ((i + 0.5)·stride', (j + 0.5)·stride')} normalised, size normalised to the input and clamped to [0, 1]);
 * the network outputs per prior 4 box offsets
 * (dx, dy, dw, dh) and 2 scores (background, face). Decoding:
 * {@code cx = pcx + dx·cv·pw}, {@code cy = pcy + dy·cv·ph}, {@code w = pw·e^(dw·sv)}, {@code h = ph·e^(dh·sv)}
 * with centre variance cv = 0.1 and size variance sv = 0.2; scores that are not probabilities already (rows not
 * summing to 1) go through a softmax; faces above the threshold are kept after a hard NMS.
 *
 * @param imageW     network input width (pixels)
 * @param imageH     network input height
 * @param priorSizes per feature map, the prior sizes {w, h} normalised to the input, in output order
 * @param strides    per feature map, its stride in input pixels
 * @param centerVariance 0.1 for the published models
 * @param sizeVariance   0.2 for the published models
 * @param threshold  face probability threshold (the example uses 0.7)
 * @param nms        IoU above which the weaker of two boxes is dropped (the example uses 0.3)
 */
public record UltraFaceDecoder(int imageW, int imageH, float[][][] priorSizes, int[] strides, float centerVariance,
                               float sizeVariance, float threshold, float nms) {

    public UltraFaceDecoder {
        if (imageW <= 0 || imageH <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + imageW + "x" + imageH);
        }
        if (priorSizes.length == 0 || priorSizes.length != strides.length) {
            throw new IllegalArgumentException("need one prior-size list per stride; got " + priorSizes.length + " lists for "
                    + strides.length + " strides");
        }
        for (int s : strides) {
            if (s <= 0) {
                throw new IllegalArgumentException("strides must be positive, got " + Arrays.toString(strides));
            }
        }
        priorSizes = Arrays.stream(priorSizes).map(l -> Arrays.stream(l).map(float[]::clone).toArray(float[][]::new))
                .toArray(float[][][]::new);
        strides = strides.clone();
    }

    /** The RFB-320 / slim-320 configuration: min sizes [[10,16,24],[32,48],[64,96],[128,192,256]], strides 8/16/32/64. */
    public static UltraFaceDecoder rfb320(int imageW, int imageH, float threshold, float nms) {
        int[][] minSizes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        float[][][] sizes = new float[minSizes.length][][];
        for (int k = 0; k < minSizes.length; k++) {
            sizes[k] = new float[minSizes[k].length][];
            for (int j = 0; j < minSizes[k].length; j++) {
                sizes[k][j] = new float[] {minSizes[k][j] / (float) imageW, minSizes[k][j] / (float) imageH};
            }
        }
        return new UltraFaceDecoder(imageW, imageH, sizes, new int[] {8, 16, 32, 64}, 0.1f, 0.2f, threshold, nms);
    }

    /**
     * The face detector with 5 landmarks of nncase's {@code facedetect_landmark} example (ulffd_landmark, 320×240,
     * 3160 priors): two priors per cell on the stride 8/16/32 maps, sizes from the example's {@code prior.h}.
     */
    public static UltraFaceDecoder landmark320(int imageW, int imageH, float threshold, float nms) {
        float[][][] sizes = {
            {{0.053125f, 0.054166667f}, {0.11875f, 0.11666667f}},
            {{0.30625f, 0.30833334f}, {0.503125f, 0.49583334f}},
            {{0.678125f, 0.7125f}, {0.934375f, 0.975f}}};
        return new UltraFaceDecoder(imageW, imageH, sizes, new int[] {8, 16, 32}, 0.1f, 0.2f, threshold, nms);
    }

    /** The known configuration whose prior count equals {@code priors} for this input size, or null. */
    public static UltraFaceDecoder forPriorCount(int imageW, int imageH, long priors, float threshold, float nms) {
        for (UltraFaceDecoder d : List.of(rfb320(imageW, imageH, threshold, nms), landmark320(imageW, imageH, threshold, nms))) {
            if (d.priorCount() == priors) {
                return d;
            }
        }
        return null;
    }

    /** Number of priors (4420 for 320×240 with {@link #rfb320}). */
    public int priorCount() {
        int n = 0;
        for (int k = 0; k < strides.length; k++) {
            n += cells(imageW, strides[k]) * cells(imageH, strides[k]) * priorSizes[k].length;
        }
        return n;
    }

    /** The priors, {cx, cy, w, h} normalised to [0, 1], in the network's output order. */
    public float[][] priors() {
        float[][] out = new float[priorCount()][];
        int p = 0;
        for (int k = 0; k < strides.length; k++) {
            int fw = cells(imageW, strides[k]);
            int fh = cells(imageH, strides[k]);
            float scaleW = imageW / (float) strides[k];
            float scaleH = imageH / (float) strides[k];
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    float cx = (i + 0.5f) / scaleW;
                    float cy = (j + 0.5f) / scaleH;
                    for (float[] size : priorSizes[k]) {
                        out[p++] = new float[] {clamp(cx), clamp(cy), clamp(size[0]), clamp(size[1])};
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param boxes  priorCount × 4 offsets (dx, dy, dw, dh), prior-major
     * @param scores priorCount × 2 (background, face), prior-major; logits or probabilities
     * @param outW   width the boxes are scaled to (the input or the original image)
     * @param outH   height the boxes are scaled to
     */
    public List<Detection> decode(float[] boxes, float[] scores, int outW, int outH, List<String> labels) {
        int n = priorCount();
        if (boxes.length != n * 4L || scores.length != n * 2L) {
            throw new IllegalArgumentException("a " + imageW + "x" + imageH + " Ultra-Light face detector has " + n + " priors: "
                    + "expected " + n * 4 + " box values and " + n * 2 + " scores, got " + boxes.length + " and " + scores.length);
        }
        boolean probabilities = true;
        for (int i = 0; i < n && probabilities; i++) {
            float a = scores[2 * i];
            float b = scores[2 * i + 1];
            probabilities = a >= -1e-3f && b >= -1e-3f && Math.abs(a + b - 1f) < 0.02f;
        }
        float[][] pr = priors();
        List<float[]> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float face;
            if (probabilities) {
                face = scores[2 * i + 1];
            } else {
                float a = scores[2 * i];
                float b = scores[2 * i + 1];
                face = (float) (1.0 / (1.0 + Math.exp(a - b)));
            }
            if (!(face > threshold)) {
                continue;
            }
            float[] p = pr[i];
            float cx = p[0] + boxes[4 * i] * centerVariance * p[2];
            float cy = p[1] + boxes[4 * i + 1] * centerVariance * p[3];
            float w = p[2] * (float) Math.exp(boxes[4 * i + 2] * sizeVariance);
            float h = p[3] * (float) Math.exp(boxes[4 * i + 3] * sizeVariance);
            cand.add(new float[] {cx, cy, w, h, face});
        }
        cand.sort(Comparator.comparingDouble((float[] c) -> -c[4]));
        List<float[]> kept = new ArrayList<>();
        for (float[] c : cand) {
            boolean keep = true;
            for (float[] k : kept) {
                if (RegionLayer.iou(c, k) > nms) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(c);
            }
        }
        String label = labels != null && labels.size() > 1 ? labels.get(1) : labels != null && labels.size() == 1 ? labels.get(0) : "face";
        List<Detection> out = new ArrayList<>();
        for (float[] c : kept) {
            float w = c[2] * outW;
            float h = c[3] * outH;
            out.add(new Detection(0, label, c[4], c[0] * outW - w / 2, c[1] * outH - h / 2, w, h));
        }
        return out;
    }

    private static int cells(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UltraFaceDecoder d && d.imageW == imageW && d.imageH == imageH && Arrays.deepEquals(d.priorSizes, priorSizes)
                && Arrays.equals(d.strides, strides) && d.centerVariance == centerVariance && d.sizeVariance == sizeVariance
                && d.threshold == threshold && d.nms == nms;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(priorSizes) * 31 + Arrays.hashCode(strides) * 7 + imageW * 3 + imageH;
    }
}

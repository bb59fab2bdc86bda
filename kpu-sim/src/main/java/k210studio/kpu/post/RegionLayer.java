package k210studio.kpu.post;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * YOLOv2 region layer, as the Kendryte demo {@code region_layer.c} and MaixPy's
 * {@code sipeed_yolo2.c} decode it (darknet conventions). The network output is float32 CHW with
 * C = anchors x (5 + classes); entry (a, f, y, x) is at {@code ((a (5+classes) + f) H + y) W + x}.
 * For each anchor and cell: bx = (x + σ(tx)) / W, by = (y + σ(ty)) / H, bw = e^tw · anchor_w / W,
 * bh = e^th · anchor_h / H; objectness = σ(to); class probabilities = softmax over the classes;
 * prob[c] = objectness · p(c), zeroed when not above the threshold. Then per class NMS (sort by
 * prob, zero any box whose IoU with a stronger one exceeds the NMS threshold) and each box with a
 * remaining probability above the threshold is reported with its best class.
 *
 * @param anchors   anchor widths and heights in grid units, {w0, h0, w1, h1, ...}
 * @param threshold probability threshold (e.g. 0.5; the face demo uses 0.7)
 * @param nms       IoU threshold of the NMS (e.g. 0.3; yolo20 uses 0.2)
 */
public record RegionLayer(float[] anchors, float threshold, float nms) {
    public RegionLayer {
        if (anchors.length == 0 || anchors.length % 2 != 0) {
            throw new IllegalArgumentException("anchors must be pairs of width,height; got " + anchors.length
                    + " numbers");
        }
        anchors = anchors.clone();
    }

    @Override
    public float[] anchors() {
        return anchors.clone();
    }

    public int anchorCount() {
        return anchors.length / 2;
    }

    /**
     * Decodes one output map.
     *
     * @param out      float CHW, channels x gridH x gridW values
     * @param gridW    grid width
     * @param gridH    grid height
     * @param channels channels (anchors x (5 + classes))
     * @param imageW   width the boxes are scaled to (input or original image)
     * @param imageH   height the boxes are scaled to
     * @param labels   optional class labels
     */
    public List<Detection> decode(float[] out, int gridW, int gridH, int channels, int imageW, int imageH,
                                  List<String> labels) {
        int na = anchorCount();
        if (channels % na != 0 || channels / na < 6) {
            throw new IllegalArgumentException("output has " + channels + " channels, which is not " + na
                    + " anchors x (5 + classes)");
        }
        if ((long) channels * gridH * gridW != out.length) {
            throw new IllegalArgumentException("output has " + out.length + " values, expected " + channels + "x"
                    + gridH + "x" + gridW);
        }
        int classes = channels / na - 5;
        int plane = gridW * gridH;
        int boxes = na * plane;
        float[][] box = new float[boxes][4];
        float[][] prob = new float[boxes][classes];
        for (int a = 0; a < na; a++) {
            for (int y = 0; y < gridH; y++) {
                for (int x = 0; x < gridW; x++) {
                    int cell = y * gridW + x;
                    int b = a * plane + cell;
                    int base = a * (5 + classes) * plane + cell;
                    box[b][0] = (x + sigmoid(out[base])) / gridW;
                    box[b][1] = (y + sigmoid(out[base + plane])) / gridH;
                    box[b][2] = (float) Math.exp(out[base + 2 * plane]) * anchors[2 * a] / gridW;
                    box[b][3] = (float) Math.exp(out[base + 3 * plane]) * anchors[2 * a + 1] / gridH;
                    float obj = sigmoid(out[base + 4 * plane]);
                    float max = -Float.MAX_VALUE;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, out[base + (5 + c) * plane]);
                    }
                    float sum = 0;
                    float[] e = new float[classes];
                    for (int c = 0; c < classes; c++) {
                        e[c] = (float) Math.exp(out[base + (5 + c) * plane] - max);
                        sum += e[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        float p = obj * e[c] / sum;
                        prob[b][c] = p > threshold ? p : 0;
                    }
                }
            }
        }
        Integer[] order = new Integer[boxes];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < boxes; i++) {
                order[i] = i;
            }
            final int cls = c;
            java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -prob[i][cls]));
            for (int i = 0; i < boxes; i++) {
                if (prob[order[i]][c] == 0) {
                    continue; // below threshold or suppressed (zeros may sit between live boxes)
                }
                for (int j = i + 1; j < boxes; j++) {
                    if (prob[order[j]][c] == 0) {
                        continue;
                    }
                    if (iou(box[order[i]], box[order[j]]) > nms) {
                        prob[order[j]][c] = 0;
                    }
                }
            }
        }
        List<Detection> result = new ArrayList<>();
        for (int b = 0; b < boxes; b++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (prob[b][c] > prob[b][best]) {
                    best = c;
                }
            }
            float p = prob[b][best];
            if (p > threshold) {
                float w = box[b][2] * imageW;
                float h = box[b][3] * imageH;
                float x = box[b][0] * imageW - w / 2;
                float y = box[b][1] * imageH - h / 2;
                String label = labels != null && best < labels.size() ? labels.get(best) : null;
                result.add(new Detection(best, label, p, x, y, w, h));
            }
        }
        result.sort(Comparator.comparingDouble((Detection d) -> -d.score()));
        return result;
    }

    static float sigmoid(float v) {
        return 1f / (1f + (float) Math.exp(-v));
    }

    /** Intersection over union of two centre-size boxes. */
    static float iou(float[] a, float[] b) {
        float iw = overlap(a[0], a[2], b[0], b[2]);
        float ih = overlap(a[1], a[3], b[1], b[3]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        return inter / (a[2] * a[3] + b[2] * b[3] - inter);
    }

    private static float overlap(float c1, float w1, float c2, float w2) {
        float l = Math.max(c1 - w1 / 2, c2 - w2 / 2);
        float r = Math.min(c1 + w1 / 2, c2 + w2 / 2);
        return r - l;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegionLayer r && java.util.Arrays.equals(r.anchors, anchors) && r.threshold == threshold
                && r.nms == nms;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(anchors) * 31 + Float.hashCode(threshold) * 7 + Float.hashCode(nms);
    }
}

package k210studio.kpu.kmodel.v4;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SSD-style decoding of the two nncase face detectors (test side): priors, box decoding with
 * centre variance 0.1 / size variance 0.2, and greedy NMS.
 *
 * <p>Ultra-Light-Fast-Generic-Face-Detector RFB-320 (nncase examples/fast_facedetect ultra_face.cpp):
 * min sizes [[10,16,24],[32,48],[64,96],[128,192,256]], strides [8,16,32,64], feature maps
 * ceil(320/s) x ceil(240/s), 4420 priors. ulffd landmark (examples/facedetect_landmark prior.h,
 * 3160 priors): strides 8, 16, 32 with two anchors per cell of pixel sizes (17x13, 38x28),
 * (98x74, 161x119), (217x171, 299x234); centres (i + 0.5) * s / 320, (j + 0.5) * s / 240.
 */
final class FaceBoxes {
    record Face(float x1, float y1, float x2, float y2, float score) {
        float area() {
            return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        }

        float iou(Face o) {
            float w = Math.min(x2, o.x2) - Math.max(x1, o.x1);
            float h = Math.min(y2, o.y2) - Math.max(y1, o.y1);
            if (w <= 0 || h <= 0) {
                return 0;
            }
            float inter = w * h;
            return inter / (area() + o.area() - inter);
        }
    }

    private FaceBoxes() {
    }

    /** Priors as {cx, cy, w, h} in 0..1, in the networks' output order. */
    static float[][] ultraFacePriors(int inW, int inH) {
        int[][] minBoxes = {{10, 16, 24}, {32, 48}, {64, 96}, {128, 192, 256}};
        int[] strides = {8, 16, 32, 64};
        List<float[]> priors = new ArrayList<>();
        for (int l = 0; l < strides.length; l++) {
            int fw = (int) Math.ceil((float) inW / strides[l]);
            int fh = (int) Math.ceil((float) inH / strides[l]);
            float scaleW = (float) inW / strides[l];
            float scaleH = (float) inH / strides[l];
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    float cx = (i + 0.5f) / scaleW;
                    float cy = (j + 0.5f) / scaleH;
                    for (int k : minBoxes[l]) {
                        priors.add(new float[] {clip(cx), clip(cy), clip((float) k / inW), clip((float) k / inH)});
                    }
                }
            }
        }
        return priors.toArray(new float[0][]);
    }

    static float[][] landmarkPriors(int inW, int inH) {
        int[] strides = {8, 16, 32};
        int[][][] sizes = {{{17, 13}, {38, 28}}, {{98, 74}, {161, 119}}, {{217, 171}, {299, 234}}};
        List<float[]> priors = new ArrayList<>();
        for (int l = 0; l < strides.length; l++) {
            int s = strides[l];
            int fw = (inW + s - 1) / s;
            int fh = (inH + s - 1) / s;
            for (int j = 0; j < fh; j++) {
                for (int i = 0; i < fw; i++) {
                    for (int[] a : sizes[l]) {
                        priors.add(new float[] {(i + 0.5f) * s / inW, (j + 0.5f) * s / inH, (float) a[0] / inW,
                            (float) a[1] / inH});
                    }
                }
            }
        }
        return priors.toArray(new float[0][]);
    }

    private static float clip(float v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }

    /** Decodes boxes (4 per prior) whose score passes the threshold, in pixels of the input. */
    static List<Face> decode(float[][] priors, float[] boxes, float[] scores, float threshold, int inW, int inH) {
        List<Face> out = new ArrayList<>();
        for (int i = 0; i < priors.length; i++) {
            float score = scores[i];
            if (score <= threshold) {
                continue;
            }
            float[] p = priors[i];
            float cx = boxes[i * 4] * 0.1f * p[2] + p[0];
            float cy = boxes[i * 4 + 1] * 0.1f * p[3] + p[1];
            float w = (float) Math.exp(boxes[i * 4 + 2] * 0.2f) * p[2];
            float h = (float) Math.exp(boxes[i * 4 + 3] * 0.2f) * p[3];
            out.add(new Face(clip(cx - w / 2) * inW, clip(cy - h / 2) * inH, clip(cx + w / 2) * inW,
                    clip(cy + h / 2) * inH, score));
        }
        return out;
    }

    /** Greedy hard NMS, best score first. */
    static List<Face> nms(List<Face> faces, float iouThreshold) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble((Face f) -> f.score()).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face f : sorted) {
            boolean suppressed = false;
            for (Face k : kept) {
                if (k.iou(f) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(f);
            }
        }
        return kept;
    }

    /** Face probability per prior from 2-class logits: softmax(l0, l1)[1]. */
    static float[] softmaxFaceScores(float[] logits) {
        float[] s = new float[logits.length / 2];
        for (int i = 0; i < s.length; i++) {
            float a = logits[2 * i];
            float b = logits[2 * i + 1];
            float m = Math.max(a, b);
            float ea = (float) Math.exp(a - m);
            float eb = (float) Math.exp(b - m);
            s[i] = eb / (ea + eb);
        }
        return s;
    }
}

package k210studio.kpu.kmodel.v4;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test-side YOLOv2 region layer for nncase's 20-class VOC example (region_layer.c of the K210
 * examples): output 125 x 7 x 10 NCHW = 5 anchors x (tx, ty, tw, th, to, 20 class logits);
 * box centre (col + sigmoid(tx)) / 10, (row + sigmoid(ty)) / 7, size exp(t) * anchor / grid;
 * probability sigmoid(to) * softmax(class); per-class greedy NMS.
 */
final class YoloRegion {
    static final float[] ANCHORS = {1.08f, 1.19f, 3.42f, 4.41f, 6.63f, 11.38f, 9.42f, 5.11f, 16.62f, 10.52f};
    static final String[] VOC = {"aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"};

    record Box(String label, float x, float y, float w, float h, float prob) {
        float iou(Box o) {
            float iw = Math.min(x + w / 2, o.x + o.w / 2) - Math.max(x - w / 2, o.x - o.w / 2);
            float ih = Math.min(y + h / 2, o.y + o.h / 2) - Math.max(y - h / 2, o.y - o.h / 2);
            if (iw <= 0 || ih <= 0) {
                return 0;
            }
            return iw * ih / (w * h + o.w * o.h - iw * ih);
        }
    }

    private YoloRegion() {
    }

    static List<Box> detect(float[] out, int gridW, int gridH, float threshold, float nms) {
        int anchors = ANCHORS.length / 2;
        int classes = VOC.length;
        int plane = gridW * gridH;
        List<Box> all = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            for (int row = 0; row < gridH; row++) {
                for (int col = 0; col < gridW; col++) {
                    int base = a * (5 + classes) * plane + row * gridW + col;
                    float obj = sigmoid(out[base + 4 * plane]);
                    float x = (col + sigmoid(out[base])) / gridW;
                    float y = (row + sigmoid(out[base + plane])) / gridH;
                    float w = (float) Math.exp(out[base + 2 * plane]) * ANCHORS[2 * a] / gridW;
                    float h = (float) Math.exp(out[base + 3 * plane]) * ANCHORS[2 * a + 1] / gridH;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, out[base + (5 + c) * plane]);
                    }
                    float sum = 0;
                    float[] p = new float[classes];
                    for (int c = 0; c < classes; c++) {
                        p[c] = (float) Math.exp(out[base + (5 + c) * plane] - max);
                        sum += p[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        float prob = obj * p[c] / sum;
                        if (prob > threshold) {
                            all.add(new Box(VOC[c], x, y, w, h, prob));
                        }
                    }
                }
            }
        }
        all.sort(Comparator.comparingDouble((Box b) -> b.prob()).reversed());
        List<Box> kept = new ArrayList<>();
        for (Box b : all) {
            boolean drop = false;
            for (Box k : kept) {
                if (k.label().equals(b.label()) && k.iou(b) > nms) {
                    drop = true;
                    break;
                }
            }
            if (!drop) {
                kept.add(b);
            }
        }
        return kept;
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}

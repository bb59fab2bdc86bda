package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import k210studio.kpu.post.Detection;

/** Matching boxes by intersection over union, best score first, each box matched at most once. */
final class BoxMatching {
    /** The IoU at which two boxes count as the same object (PASCAL VOC). */
    static final double IOU = 0.5;

    private BoxMatching() {
    }

    static double iou(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh) {
        double iw = Math.min(ax + aw, bx + bw) - Math.max(ax, bx);
        double ih = Math.min(ay + ah, by + bh) - Math.max(ay, by);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((double) aw * ah + (double) bw * bh - inter);
    }

    static double iou(Detection a, Detection b) {
        return iou(a.x(), a.y(), a.w(), a.h(), b.x(), b.y(), b.w(), b.h());
    }

    /**
     * The agreement of two sets of boxes: 2 × matched / (|a| + |b|), a match being the same class at IoU ≥ 0.5
     * (greedy, higher scores first); 1 when both are empty.
     */
    static double agreement(List<Detection> a, List<Detection> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        return 2.0 * matched(a, b) / (a.size() + b.size());
    }

    static int matched(List<Detection> a, List<Detection> b) {
        List<Detection> sa = new ArrayList<>(a);
        sa.sort(Comparator.comparingDouble(Detection::score).reversed());
        boolean[] used = new boolean[b.size()];
        int m = 0;
        for (Detection d : sa) {
            int best = -1;
            double bestIou = IOU;
            for (int j = 0; j < b.size(); j++) {
                double v;
                if (!used[j] && b.get(j).classId() == d.classId() && (v = iou(d, b.get(j))) >= bestIou) {
                    best = j;
                    bestIou = v;
                }
            }
            if (best >= 0) {
                used[best] = true;
                m++;
            }
        }
        return m;
    }
}

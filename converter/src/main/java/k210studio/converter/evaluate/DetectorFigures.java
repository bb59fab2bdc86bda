package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import k210studio.kpu.post.Detection;

/**
 * The detector figures of an evaluation: mAP at IoU 0.5 of each side against the labelled boxes (PASCAL VOC: the
 * area under the all-points interpolated precision/recall curve, per class, averaged over the classes that have
 * boxes; "difficult" boxes are neither hits nor misses), and the box agreement of the K210 with the float model
 * (2 × matched / (float boxes + K210 boxes) over all images, boxes above the decoder's threshold).
 *
 * @param images    images evaluated
 * @param truths    labelled boxes (not difficult)
 * @param floatMap  float mAP@0.5, NaN without labelled boxes
 * @param k210Map   K210 mAP@0.5, NaN without labelled boxes
 * @param floatBoxes reported float boxes
 * @param k210Boxes  reported K210 boxes
 * @param matched   K210 boxes matched to a float box
 */
public record DetectorFigures(int images, int truths, double floatMap, double k210Map, int floatBoxes, int k210Boxes, int matched) {

    /** Box agreement K210 vs float, 1 when neither side reports a box. */
    public double boxAgreement() {
        return floatBoxes + k210Boxes == 0 ? 1 : 2.0 * matched / (floatBoxes + k210Boxes);
    }

    static DetectorFigures of(List<ImageResult> results, int classes, OutputDecoding dec) {
        int n = 0;
        int truths = 0;
        int fb = 0;
        int kb = 0;
        int m = 0;
        List<ImageResult> done = new ArrayList<>();
        for (ImageResult r : results) {
            if (r == null) {
                continue;
            }
            done.add(r);
            n++;
            List<Detection> f = dec.reported(r.floatBoxes());
            List<Detection> k = dec.reported(r.k210Boxes());
            fb += f.size();
            kb += k.size();
            m += BoxMatching.matched(k, f);
            if (r.image().boxes() != null) {
                truths += (int) r.image().boxes().stream().filter(b -> !b.difficult()).count();
            }
        }
        boolean labelled = done.stream().anyMatch(r -> r.image().boxes() != null);
        double fm = labelled ? meanAp(done, classes, ImageResult::floatBoxes) : Double.NaN;
        double km = labelled ? meanAp(done, classes, ImageResult::k210Boxes) : Double.NaN;
        return new DetectorFigures(n, truths, fm, km, fb, kb, m);
    }

    private record Scored(float score, boolean hit) {
    }

    /** Mean over the classes with labelled boxes of the VOC AP. */
    static double meanAp(List<ImageResult> results, int classes, Function<ImageResult, List<Detection>> side) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < Math.max(1, classes); c++) {
            double ap = ap(results, c, side);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The AP of one class, NaN when no image has a (non-difficult) box of it. */
    static double ap(List<ImageResult> results, int c, Function<ImageResult, List<Detection>> side) {
        List<Scored> dets = new ArrayList<>();
        int positives = 0;
        for (ImageResult r : results) {
            List<TruthBox> truth = r.image().boxes() == null ? List.of() : r.image().boxes().stream().filter(b -> b.classId() == c).toList();
            positives += (int) truth.stream().filter(b -> !b.difficult()).count();
            List<Detection> mine = new ArrayList<>(side.apply(r).stream().filter(d -> d.classId() == c).toList());
            mine.sort(Comparator.comparingDouble(Detection::score).reversed());
            boolean[] taken = new boolean[truth.size()];
            for (Detection d : mine) {
                int best = -1;
                double bestIou = -1;
                for (int j = 0; j < truth.size(); j++) {
                    TruthBox t = truth.get(j);
                    double v = BoxMatching.iou(d.x(), d.y(), d.w(), d.h(), t.x(), t.y(), t.w(), t.h());
                    if (v > bestIou) {
                        bestIou = v;
                        best = j;
                    }
                }
                if (best >= 0 && bestIou >= BoxMatching.IOU) {
                    if (truth.get(best).difficult()) {
                        continue;
                    }
                    if (!taken[best]) {
                        taken[best] = true;
                        dets.add(new Scored(d.score(), true));
                        continue;
                    }
                }
                dets.add(new Scored(d.score(), false));
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        dets.sort(Comparator.comparingDouble(Scored::score).reversed());
        int k = dets.size();
        double[] prec = new double[k];
        double[] rec = new double[k];
        int tp = 0;
        for (int i = 0; i < k; i++) {
            tp += dets.get(i).hit() ? 1 : 0;
            prec[i] = (double) tp / (i + 1);
            rec[i] = (double) tp / positives;
        }
        for (int i = k - 2; i >= 0; i--) {
            prec[i] = Math.max(prec[i], prec[i + 1]);
        }
        double ap = 0;
        double prevRec = 0;
        for (int i = 0; i < k; i++) {
            ap += (rec[i] - prevRec) * prec[i];
            prevRec = rec[i];
        }
        return ap;
    }
}

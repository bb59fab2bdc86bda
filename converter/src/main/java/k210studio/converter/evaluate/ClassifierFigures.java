package k210studio.converter.evaluate;

import java.util.List;

/**
 * The classifier figures of an evaluation. Accuracies count only labelled images ({@link #labelled}); the agreement
 * counts every image.
 *
 * @param images       images evaluated
 * @param labelled     images with a class label
 * @param floatTop1    labelled images whose float top-1 is the label
 * @param floatTop5    … whose label is among the float top-5
 * @param k210Top1     labelled images whose K210 top-1 is the label
 * @param k210Top5     … whose label is among the K210 top-5
 * @param agreeing     images on which the K210 top-1 equals the float top-1
 * @param perClass     per class (index = class): images, float correct, K210 correct
 * @param floatConfusion [truth][float top-1] counts over labelled images
 * @param k210Confusion  [truth][K210 top-1] counts over labelled images
 */
public record ClassifierFigures(int images, int labelled, int floatTop1, int floatTop5, int k210Top1, int k210Top5, int agreeing,
                                List<ClassFigures> perClass, int[][] floatConfusion, int[][] k210Confusion) {

    /** One class's counts. */
    public record ClassFigures(int index, int images, int floatCorrect, int k210Correct) {
        public double floatAccuracy() {
            return images == 0 ? Double.NaN : (double) floatCorrect / images;
        }

        public double k210Accuracy() {
            return images == 0 ? Double.NaN : (double) k210Correct / images;
        }
    }

    /** Counts the figures of per-image results (null entries, images not evaluated, are skipped). */
    static ClassifierFigures of(List<ImageResult> results, int classes) {
        int n = 0;
        int lab = 0;
        int f1 = 0;
        int f5 = 0;
        int k1 = 0;
        int k5 = 0;
        int agree = 0;
        int[][] fc = new int[classes][classes];
        int[][] kc = new int[classes][classes];
        for (ImageResult r : results) {
            if (r == null) {
                continue;
            }
            n++;
            int f = r.floatTop1();
            int k = r.k210Top1();
            agree += f == k ? 1 : 0;
            int label = r.image().label();
            if (label < 0) {
                continue;
            }
            lab++;
            f1 += f == label ? 1 : 0;
            k1 += k == label ? 1 : 0;
            f5 += TopClasses.inTop(r.floatAnswer().scores(), label, 5) ? 1 : 0;
            k5 += TopClasses.inTop(r.k210Answer().scores(), label, 5) ? 1 : 0;
            if (label < classes && f < classes && k < classes) {
                fc[label][f]++;
                kc[label][k]++;
            }
        }
        List<ClassFigures> per = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            int total = 0;
            for (int j = 0; j < classes; j++) {
                total += fc[c][j];
            }
            if (total > 0) {
                per.add(new ClassFigures(c, total, fc[c][c], kc[c][c]));
            }
        }
        return new ClassifierFigures(n, lab, f1, f5, k1, k5, agree, per, fc, kc);
    }

    private static double frac(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    public double floatTop1Accuracy() {
        return frac(floatTop1, labelled);
    }

    public double floatTop5Accuracy() {
        return frac(floatTop5, labelled);
    }

    public double k210Top1Accuracy() {
        return frac(k210Top1, labelled);
    }

    public double k210Top5Accuracy() {
        return frac(k210Top5, labelled);
    }

    /** Fraction of images on which the K210 and the float model give the same top-1 class. */
    public double agreement() {
        return frac(agreeing, images);
    }
}

package k210studio.converter.evaluate;

import java.util.List;
import k210studio.kpu.post.Detection;

/**
 * What the float model and the K210 model answered on one image.
 *
 * @param image        the image and its labels
 * @param floatAnswer  the float model's decoded answer
 * @param k210Answer   the K210 model's decoded answer
 * @param disagreement how far the two answers are apart, 0 = identical (see {@link #of}); the worst images have the
 *                     largest
 */
public record ImageResult(EvalImage image, OutputDecoding.Answer floatAnswer, OutputDecoding.Answer k210Answer,
                          double disagreement) {

    /**
     * Scores the disagreement: classifiers 1 when the top-1 classes differ, plus 1 − cosine of the two score vectors;
     * detectors 1 − the box agreement of the reported boxes.
     */
    static ImageResult of(EvalImage image, OutputDecoding.Answer f, OutputDecoding.Answer k, OutputDecoding dec) {
        double d;
        if (f.scores() != null) {
            d = (TopClasses.top1(f.scores()) != TopClasses.top1(k.scores()) ? 1 : 0) + (1 - cosine(f.scores(), k.scores()));
        } else {
            d = 1 - BoxMatching.agreement(dec.reported(f.boxes()), dec.reported(k.boxes()));
        }
        return new ImageResult(image, f, k, d);
    }

    public int floatTop1() {
        return TopClasses.top1(floatAnswer.scores());
    }

    public int k210Top1() {
        return TopClasses.top1(k210Answer.scores());
    }

    public List<Detection> floatBoxes() {
        return floatAnswer.boxes();
    }

    public List<Detection> k210Boxes() {
        return k210Answer.boxes();
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (aa == 0 && bb == 0) {
            return 1;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}

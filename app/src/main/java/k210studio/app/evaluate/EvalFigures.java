package k210studio.app.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.converter.evaluate.ClassifierFigures;
import k210studio.converter.evaluate.DetectorFigures;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.ImageResult;

/**
 * An evaluation report as the Evaluate window shows it (no JavaFX): the headline figures float vs K210, the
 * per-class accuracies, the K210 confusion matrix over the classes present (rows truth, columns K210 top-1) and the
 * worst images first.
 *
 * @param figures          top-1, top-5, agreement (classifiers); mAP@0.5, box agreement (detectors)
 * @param classes          per class present in the dataset
 * @param confusionClasses the confusion matrix's class names, rows and columns alike
 * @param confusion        one row per class present: the truth and its K210 top-1 counts
 * @param worst            the images on which the K210 departs most from float, worst first
 */
public record EvalFigures(List<Figure> figures, List<ClassRow> classes, List<String> confusionClasses, List<ConfusionRow> confusion,
                          List<Worst> worst) {

    /** Images listed as the worst. */
    public static final int WORST = 100;

    /** Nothing evaluated yet. */
    public static final EvalFigures EMPTY = new EvalFigures(List.of(), List.of(), List.of(), List.of(), List.of());

    /** One headline figure: its name and the float and K210 values as shown ("80.00 %", "—"). */
    public record Figure(String name, String floatValue, String k210Value) {
    }

    /** One class: images, and the fraction of them float and K210 get right. */
    public record ClassRow(int index, String name, int images, double floatAccuracy, double k210Accuracy) {
    }

    /** One row of the confusion matrix: the true class and how often the K210 answered each class. */
    public record ConfusionRow(String truth, List<Integer> counts) {
    }

    /** A worst image: its place, name and file, the disagreement score and what both sides answered. */
    public record Worst(int rank, String name, Path file, double disagreement, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d.  %.3f  %s%s", rank, disagreement, name, detail.isEmpty() ? "" : "  (" + detail + ")");
        }
    }

    public static EvalFigures of(EvalReport r) {
        EvalDataset ds = r.dataset();
        List<Figure> f = new ArrayList<>();
        List<ClassRow> per = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ConfusionRow> conf = new ArrayList<>();
        ClassifierFigures c = r.classifier();
        if (c != null) {
            if (c.labelled() > 0) {
                f.add(new Figure("top-1 accuracy", pct(c.floatTop1Accuracy()), pct(c.k210Top1Accuracy())));
                f.add(new Figure("top-5 accuracy", pct(c.floatTop5Accuracy()), pct(c.k210Top5Accuracy())));
            }
            f.add(new Figure("top-1 agreement", "—", pct(c.agreement()) + " (" + c.agreeing() + "/" + c.images() + ")"));
            for (ClassifierFigures.ClassFigures p : c.perClass()) {
                per.add(new ClassRow(p.index(), ds.className(p.index()), p.images(), p.floatAccuracy(), p.k210Accuracy()));
                names.add(ds.className(p.index()));
            }
            for (ClassifierFigures.ClassFigures p : c.perClass()) {
                List<Integer> row = new ArrayList<>();
                for (ClassifierFigures.ClassFigures q : c.perClass()) {
                    row.add(c.k210Confusion()[p.index()][q.index()]);
                }
                conf.add(new ConfusionRow(ds.className(p.index()), row));
            }
        }
        DetectorFigures d = r.detector();
        if (d != null) {
            f.add(new Figure("mAP@0.5 (" + d.truths() + " labelled boxes)", pct(d.floatMap()), pct(d.k210Map())));
            f.add(new Figure("box agreement K210 vs float", d.floatBoxes() + " boxes",
                    pct(d.boxAgreement()) + " (" + d.matched() + " matched of " + d.k210Boxes() + " boxes)"));
        }
        List<Worst> w = new ArrayList<>();
        for (ImageResult i : r.worst(WORST)) {
            String detail = c == null ? r.decoding().reported(i.floatBoxes()).size() + " float box(es), "
                    + r.decoding().reported(i.k210Boxes()).size() + " K210"
                    : "float " + ds.className(i.floatTop1()) + ", K210 " + ds.className(i.k210Top1())
                    + (i.image().label() >= 0 ? ", label " + ds.className(i.image().label()) : "");
            w.add(new Worst(w.size() + 1, i.image().name(), i.image().file(), i.disagreement(), detail));
        }
        return new EvalFigures(f, per, names, conf, w);
    }

    /** "80.00 %", or "—" for no value. */
    static String pct(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }
}

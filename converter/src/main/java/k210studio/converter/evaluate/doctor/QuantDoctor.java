package k210studio.converter.evaluate.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.ErrorStats;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.compile.KmodelComparison;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvalImage;
import k210studio.converter.evaluate.EvalProgress;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.Evaluator;
import k210studio.converter.evaluate.ImageRunner;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;

/**
 * The quantization doctor: where on a dataset a compiled K210 model departs from its float model, and what to change.
 *
 * <ul>
 *   <li>Per-layer error: every image runs through the kmodel on kpu-sim with per-layer traces and through the
 *   compiler's prepared graph in float; each kmodel layer is compared with its float tensor through the compile's
 *   exact {@link k210studio.converter.compile.LayerTensorMap} ({@link KmodelComparison}), giving mean cosine and SNR,
 *   and the share of images whose float values leave the layer's uint8 grid (clipping).</li>
 *   <li>Sensitivity: for each quantized layer ({@link Site}), the float model with only that layer's output
 *   fake-quantized to its grid (and its KPU weights to theirs): top-1 agreement with float. Layers are ranked by the
 *   agreement they cost, ties by lower SNR.</li>
 *   <li>Suggestions ({@link Suggestion}): calibration images spread over the dataset when the dataset's values of
 *   the layer exceed the calibration's and the build was calibrated on other images (one fix for every layer); else
 *   a wider output range (the dataset's) when the layer clips; else 16-bit weights on V3 when the weights' error
 *   dominates the layer's.</li>
 * </ul>
 * Top-1 is the arg-max of the first output (a classifier's).
 */
public final class QuantDoctor {
    /** The SNR an image counts with when the K210 value is exactly the float one. */
    public static final double EXACT_SNR_DB = 100;

    private QuantDoctor() {
    }

    private record Host(EvaluationResult ref, byte[] planar, float[] x, List<Site.Outcome> outcomes) {
    }

    private record Image(List<Site.Outcome> outcomes, List<KmodelComparison.LayerMatch> layers) {
    }

    /**
     * @param build    how {@code compiled} was built (its options and calibration images)
     * @param compiled the compile of the float model, with its prepared graph and layer map
     * @param threads  worker threads, ≤ 0 for one per core
     * @param cancel   polled before each image; a cancelled run diagnoses the images done
     */
    public static DoctorReport diagnose(BoardInput in, K210Build build, K210Compiler.Result compiled, EvalDataset ds, int threads,
                                        EvalProgress progress, BooleanSupplier cancel) throws EvaluateException {
        EvalProgress p = progress == null ? EvalProgress.NONE : progress;
        BooleanSupplier c = cancel == null ? () -> false : cancel;
        QuantRules rules = build.options().target();
        Graph g = compiled.prepared();
        List<Site> sites = Site.of(compiled, rules, build.options().weightBits());
        String inputId = g.inputIds().get(0);
        List<EvalImage> images = ds.images();
        p.phase("quantization doctor");
        p.images(0, images.size(), Double.NaN);
        List<Image> done = ImageRunner.run(compiled.model(), RunOptions.defaults().withTraceOutputs(true), images.size(), threads,
                new ImageRunner.Work<Host, Image>() {
                    @Override
                    public Host prepare(int i) throws EvaluateException {
                        EvalImage img = images.get(i);
                        byte[] planar;
                        try {
                            planar = in.planar(ImageFiles.read(img.file()));
                        } catch (ImageDecodeException e) {
                            throw new EvaluateException(img.name() + ": " + e.getMessage(), e);
                        }
                        float[] x = in.tensor(planar);
                        EvaluationResult ref = FloatEvaluator.evaluate(g, Map.of(inputId, new Tensor(new int[] {in.h(), in.w(), in.c()}, x)), true);
                        List<Site.Outcome> o = new ArrayList<>();
                        for (Site s : sites) {
                            o.add(s.run(g, ref));
                        }
                        return new Host(ref, planar, x, o);
                    }

                    @Override
                    public List<KmodelTensor> input(Host h) {
                        return List.of(Evaluator.input(compiled.model(), h.planar(), h.x(), in));
                    }

                    @Override
                    public Image finish(int i, Host h, RunResult run) throws EvaluateException {
                        try {
                            return new Image(h.outcomes(), KmodelComparison.of(g, h.ref(), run, compiled.layers()).layers());
                        } catch (CompileException e) {
                            throw new EvaluateException(images.get(i).name() + ": " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public String name(int i) {
                        return images.get(i).name();
                    }
                }, p, c);
        List<Image> ran = done.stream().filter(x -> x != null).toList();
        return report(build, compiled, ds, sites, ran);
    }

    private static DoctorReport report(K210Build build, K210Compiler.Result compiled, EvalDataset ds, List<Site> sites, List<Image> ran) {
        int n = ran.size();
        Map<String, SiteFigures> bySite = new HashMap<>();
        List<RankedLayer> ranking = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            SiteFigures f = SiteFigures.of(s, ran);
            Site site = sites.get(s);
            bySite.put(site.layer().name(), f);
            boolean weights = site.quantLayer() != site.layer() && f.weightError > f.gridError;
            ranking.add(new RankedLayer(site.layer().name(), f.agreement, 1 - f.agreement, f.snr, weights,
                    suggest(site, f, weights, build, compiled, ds)));
        }
        ranking.sort(Comparator.comparingDouble(RankedLayer::agreementCost).reversed().thenComparingDouble(RankedLayer::snrDb));
        List<LayerError> layers = new ArrayList<>();
        if (n > 0) {
            for (int k = 0; k < ran.get(0).layers().size(); k++) {
                KmodelComparison.LayerMatch first = ran.get(0).layers().get(k);
                if (first.floatLayer() == null) {
                    continue;
                }
                double cos = 0;
                double snr = 0;
                int m = 0;
                for (Image im : ran) {
                    KmodelComparison.LayerMatch lm = im.layers().get(k);
                    if (lm.stats() != null) {
                        cos += lm.stats().cosine();
                        snr += clamp(lm.stats().snrDb());
                        m++;
                    }
                }
                SiteFigures f = bySite.get(first.floatLayer());
                Site site = sites.stream().filter(x -> x.layer().name().equals(first.floatLayer())).findFirst().orElse(null);
                layers.add(new LayerError(first.index(), first.type(), first.floatLayer(), cos / m, snr / m, f == null ? 0 : f.clipped,
                        site == null ? null : site.grid(), f == null ? null : f.observed));
            }
        }
        return new DoctorReport(n, layers, ranking);
    }

    /** A site's figures over the images. */
    private record SiteFigures(double agreement, double snr, double weightError, double gridError, double clipped, ValueRange observed) {
        static SiteFigures of(int s, List<Image> ran) {
            int agree = 0;
            int clip = 0;
            double snr = 0;
            double we = 0;
            double ge = 0;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (Image im : ran) {
                Site.Outcome o = im.outcomes().get(s);
                agree += o.agrees() ? 1 : 0;
                clip += o.clipped() ? 1 : 0;
                snr += o.snrDb();
                we += o.weightError();
                ge += o.gridError();
                lo = Math.min(lo, o.min());
                hi = Math.max(hi, o.max());
            }
            int n = Math.max(1, ran.size());
            return new SiteFigures(ran.isEmpty() ? 1 : (double) agree / n, snr / n, we, ge, (double) clip / n,
                    ran.isEmpty() ? null : new ValueRange(lo, hi));
        }
    }

    private static Suggestion suggest(Site site, SiteFigures f, boolean weightsDominate, K210Build build, K210Compiler.Result compiled,
                                      EvalDataset ds) {
        String name = site.layer().name();
        ValueRange grid = site.grid();
        ValueRange cal = calibrated(compiled, site);
        List<java.nio.file.Path> spread = K210Build.spread(ds.images(), K210Build.DEFAULT_CALIBRATION_IMAGES);
        boolean exceeds = cal != null && f.observed != null && (f.observed.min() < cal.min() || f.observed.max() > cal.max());
        // calibration images other than the dataset's, and the dataset goes beyond them: recalibrating fixes every layer at once
        if (exceeds && !build.calibration().equals(spread)) {
            return new Suggestion(Suggestion.Kind.CALIBRATE, name, String.format(Locale.ROOT,
                    "calibrate on %d images spread over the dataset: its values of %s reach [%.4g, %.4g], the calibration's only [%.4g, %.4g]",
                    spread.size(), name, f.observed.min(), f.observed.max(), cal.min(), cal.max()), null, spread);
        }
        if (f.clipped > 0 && f.observed != null) {
            ValueRange r = f.observed.union(grid);
            return new Suggestion(Suggestion.Kind.WIDEN_RANGE, name, String.format(Locale.ROOT,
                    "widen the output range of %s to [%.4g, %.4g]: %.0f%% of the images leave its range [%.4g, %.4g]",
                    name, r.min(), r.max(), 100 * f.clipped, grid.min(), grid.max()), r, null);
        }
        if (weightsDominate && build.options().target() == QuantRules.V3 && build.options().weightBits() == 8) {
            return new Suggestion(Suggestion.Kind.WEIGHTS_16, name, String.format(Locale.ROOT,
                    "16-bit weights: the 8-bit weights of %s add more error (%.3g) than its output grid (%.3g)", name, f.weightError,
                    f.gridError), null, null);
        }
        return new Suggestion(Suggestion.Kind.NONE, name, "no change: " + name + "'s error is that of its 8-bit grid", null, null);
    }

    private static ValueRange calibrated(K210Compiler.Result compiled, Site site) {
        try {
            return compiled.calibration().observed(site.layer().id());
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** SNR in dB, an exact match counting as {@link #EXACT_SNR_DB}. */
    static double snr(float[] ref, float[] q) {
        return clamp(ErrorStats.of(ref, q).snrDb());
    }

    /** An SNR within ±{@link #EXACT_SNR_DB} (an exact image +, an all-zero float tensor with noise −), so means stay finite. */
    private static double clamp(double snrDb) {
        return Double.isNaN(snrDb) ? -EXACT_SNR_DB : Math.max(-EXACT_SNR_DB, Math.min(EXACT_SNR_DB, snrDb));
    }
}

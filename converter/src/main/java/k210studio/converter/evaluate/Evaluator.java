package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;

/**
 * Evaluates a float model and its K210 model on a dataset: every image is fed as the board feeds it (the same planar
 * bytes to the kmodel on kpu-sim and, through mean/std, to the float evaluator), both outputs are decoded the same
 * way, and the figures are counted. Images run on all cores ({@link ImageRunner}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * @param graph    the float model
     * @param in       the board input (size, channels, mean/std)
     * @param kmodel   the K210 model compiled from {@code graph}
     * @param target   its version, for the report ("v3", "v4")
     * @param threads  worker threads, ≤ 0 for one per core
     * @param cancel   polled between images; a cancelled run reports the images done so far
     * @throws EvaluateException when an image cannot be read or a model cannot run on it (the message names the image)
     */
    public static EvalReport evaluate(Graph graph, BoardInput in, Kmodel kmodel, String target, EvalDataset ds, OutputDecoding dec,
                                      int threads, EvalProgress progress, BooleanSupplier cancel) throws EvaluateException {
        EvalProgress p = progress == null ? EvalProgress.NONE : progress;
        BooleanSupplier c = cancel == null ? () -> false : cancel;
        String inputId = graph.inputIds().get(0);
        List<EvalImage> images = ds.images();
        p.phase("evaluating on " + target);
        List<ImageResult> results = ImageRunner.run(List.of(kmodel), RunOptions.defaults(), images.size(), threads, (i, rt) -> {
            EvalImage img = images.get(i);
            RgbImage pic;
            try {
                pic = ImageFiles.read(img.file());
            } catch (ImageDecodeException e) {
                throw new EvaluateException(img.name() + ": " + e.getMessage() + " (remove it from the dataset or convert it to PNG/JPEG)", e);
            }
            byte[] planar = in.planar(pic);
            float[] x = in.tensor(planar);
            EvaluationResult fr = FloatEvaluator.evaluate(graph, Map.of(inputId, new Tensor(new int[] {in.h(), in.w(), in.c()}, x)), false);
            List<OutputMap> fo = new ArrayList<>();
            for (int o = 0; o < fr.outputIds().size(); o++) {
                fo.add(OutputMap.ofFloat(fr.output(o)));
            }
            RunResult kr;
            try {
                kr = rt.get(0).run(List.of(input(kmodel, planar, x, in)));
            } catch (Exception e) {
                throw new EvaluateException(img.name() + ": the kmodel does not run on the simulator: " + e.getMessage(), e);
            }
            List<OutputMap> ko = new ArrayList<>();
            for (KmodelTensor t : kr.outputs()) {
                ko.add(OutputMap.ofKmodel(t));
            }
            try {
                return ImageResult.of(img, dec.decode(fo, in.w(), in.h(), pic.width(), pic.height(), ds.classes()),
                        dec.decode(ko, in.w(), in.h(), pic.width(), pic.height(), ds.classes()), dec);
            } catch (IllegalArgumentException e) {
                throw new EvaluateException(img.name() + ": the outputs do not read as a " + dec.kind().id() + ": " + e.getMessage(), e);
            }
        }, p, c);
        boolean cancelled = results.stream().anyMatch(r -> r == null);
        ImageResult first = results.stream().filter(r -> r != null).findFirst().orElse(null);
        int classes = Math.max(ds.classes().size(), first == null || first.floatAnswer().scores() == null ? 1 : first.floatAnswer().scores().length);
        if (dec.detector()) {
            return new EvalReport(ds, target, dec, results, null, DetectorFigures.of(results, classes, dec), cancelled);
        }
        return new EvalReport(ds, target, dec, results, ClassifierFigures.of(results, classes), null, cancelled);
    }

    /** The board's bytes for a uint8 kmodel input, the float tensor for a float one (V4 models may take float). */
    static KmodelTensor input(Kmodel m, byte[] planar, float[] x, BoardInput in) {
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().isEmpty() ? new int[] {in.c(), in.h(), in.w()} : d.shape().stream().mapToInt(Integer::intValue).toArray();
        if (d.type() == ElementType.UINT8) {
            return KmodelTensor.ofUint8(shape, planar);
        }
        float[] chw = new float[x.length];
        int plane = in.h() * in.w();
        for (int i = 0; i < plane; i++) {
            for (int ch = 0; ch < in.c(); ch++) {
                chw[ch * plane + i] = x[i * in.c() + ch];
            }
        }
        return KmodelTensor.ofFloats(shape, chw);
    }
}

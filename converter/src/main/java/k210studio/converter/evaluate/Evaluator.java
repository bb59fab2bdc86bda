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
 * way, and the figures are counted. Images run in batches on all cores, the kmodel on kpu-sim's batch runner
 * ({@link ImageRunner}); the figures are those of a serial run.
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
     * @param cancel   polled before each image (an {@link EvalCancel}, or null); a cancelled run reports the images done
     *                 so far, marked cancelled
     * @throws EvaluateException when an image cannot be read or a model cannot run on it (the message names the image)
     */
    public static EvalReport evaluate(Graph graph, BoardInput in, Kmodel kmodel, String target, EvalDataset ds, OutputDecoding dec,
                                      int threads, EvalProgress progress, BooleanSupplier cancel) throws EvaluateException {
        EvalProgress p = progress == null ? EvalProgress.NONE : progress;
        BooleanSupplier c = cancel == null ? () -> false : cancel;
        String inputId = graph.inputIds().get(0);
        List<EvalImage> images = ds.images();
        p.phase("evaluating on " + target);
        p.images(0, images.size(), Double.NaN);
        record Host(EvalImage img, RgbImage pic, byte[] planar, float[] x, List<OutputMap> floatOut) {
        }
        List<ImageResult> results = ImageRunner.run(kmodel, RunOptions.defaults(), images.size(), threads, new ImageRunner.Work<Host, ImageResult>() {
            @Override
            public Host prepare(int i) throws EvaluateException {
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
                return new Host(img, pic, planar, x, fo);
            }

            @Override
            public List<KmodelTensor> input(Host h) {
                return List.of(Evaluator.input(kmodel, h.planar(), h.x(), in));
            }

            @Override
            public ImageResult finish(int i, Host h, RunResult kr) throws EvaluateException {
                List<OutputMap> ko = new ArrayList<>();
                for (KmodelTensor t : kr.outputs()) {
                    ko.add(OutputMap.ofKmodel(t));
                }
                int w = h.pic().width();
                int ht = h.pic().height();
                try {
                    return ImageResult.of(h.img(), dec.decode(h.floatOut(), in.w(), in.h(), w, ht, ds.classes()),
                            dec.decode(ko, in.w(), in.h(), w, ht, ds.classes()), dec);
                } catch (IllegalArgumentException e) {
                    throw new EvaluateException(h.img().name() + ": the outputs do not read as a " + dec.kind().id() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String name(int i) {
                return images.get(i).name();
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
    public static KmodelTensor input(Kmodel m, byte[] planar, float[] x, BoardInput in) {
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

package k210studio.converter.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.converter.train.DatasetSplit.Sample;

/**
 * The K210 accuracy of a classifier's current weights: compile in memory (calibrated on a few training images),
 * run the kmodel on kpu-sim on each evaluation image with the board input, and compare its top-1 with the label
 * and with the float network's top-1. Kept in one class so a general dataset evaluator can replace it.
 */
public final class K210Accuracy {
    private K210Accuracy() {
    }

    /**
     * @param images      how many images were evaluated (unreadable ones are left out)
     * @param k210Correct kmodel top-1 equals the label
     * @param floatCorrect float top-1 equals the label
     * @param agreeing    kmodel top-1 equals float top-1
     * @param kmodelBytes size of the compiled kmodel
     */
    public record Result(int images, int k210Correct, int floatCorrect, int agreeing, int kmodelBytes) {
        public double accuracy() {
            return images == 0 ? Double.NaN : (double) k210Correct / images;
        }

        public double floatAccuracy() {
            return images == 0 ? Double.NaN : (double) floatCorrect / images;
        }

        /** Fraction of images on which the K210 and the float network give the same class. */
        public double agreement() {
            return images == 0 ? Double.NaN : (double) agreeing / images;
        }
    }

    /**
     * @param calibration training images to calibrate with (the first 16 readable ones are used)
     * @throws CompileException when the network does not compile for the target (the message names the layer)
     */
    public static Result measure(Graph graph, BoardInput in, QuantRules target, List<Sample> calibration, List<Sample> images,
                                 BooleanSupplier cancel) throws CompileException, TrainingException {
        List<Tensor> cal = new ArrayList<>();
        for (Sample s : calibration) {
            byte[] p = planar(in, s);
            if (p != null) {
                cal.add(new Tensor(new int[] {in.h(), in.w(), in.c()}, in.tensor(p)));
            }
            if (cal.size() >= 16) {
                break;
            }
        }
        if (cal.isEmpty()) {
            throw new TrainingException("no readable training image to calibrate the K210 model with");
        }
        CompileOptions opt = CompileOptions.defaults(target).withPreprocessing(in.mean(), in.std());
        K210Compiler.Result compiled = K210Compiler.compile(graph, cal, opt, null);
        Kmodel m = compiled.model();
        String inputId = graph.inputIds().get(0);
        int n = 0;
        int k210 = 0;
        int fl = 0;
        int agree = 0;
        for (Sample s : images) {
            if (cancel.getAsBoolean()) {
                break;
            }
            byte[] p = planar(in, s);
            if (p == null) {
                continue;
            }
            int kc;
            try {
                kc = ClassificationLoss.argmax(classScores(m.run(input(m, p, in), RunOptions.defaults()).outputs().get(0).toFloatArray()));
            } catch (KmodelFormatException e) {
                throw new TrainingException("the compiled kmodel does not run on the simulator: " + e.getMessage(), e);
            }
            float[] y = FloatEvaluator.evaluate(graph, Map.of(inputId, new Tensor(new int[] {in.h(), in.w(), in.c()}, in.tensor(p))), false)
                    .output().data();
            int fc = ClassificationLoss.argmax(classScores(y));
            n++;
            k210 += kc == s.label() ? 1 : 0;
            fl += fc == s.label() ? 1 : 0;
            agree += kc == fc ? 1 : 0;
        }
        return new Result(n, k210, fl, agree, compiled.kmodel().length);
    }

    /** One sigmoid unit is a two-class score (1 − p, p); otherwise the values are the class scores. */
    private static float[] classScores(float[] y) {
        return y.length == 1 ? new float[] {1 - y[0], y[0]} : y;
    }

    private static byte[] planar(BoardInput in, Sample s) {
        try {
            return in.planar(ImageFiles.read(s.file()));
        } catch (ImageDecodeException | RuntimeException e) {
            return null;
        }
    }

    private static KmodelTensor input(Kmodel m, byte[] planar, BoardInput in) {
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().isEmpty() ? new int[] {in.c(), in.h(), in.w()} : d.shape().stream().mapToInt(Integer::intValue).toArray();
        return KmodelTensor.ofUint8(shape, planar);
    }
}

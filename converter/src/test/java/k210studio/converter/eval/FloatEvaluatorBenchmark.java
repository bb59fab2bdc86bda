package k210studio.converter.eval;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.TensorInfo;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;

/**
 * Prints how long the float evaluator takes on real networks (warm JIT, median of repeated
 * runs). Run with {@code java ... k210studio.converter.eval.FloatEvaluatorBenchmark}; the numbers
 * are printed, never asserted (the machine is shared and noisy).
 */
public final class FloatEvaluatorBenchmark {
    private FloatEvaluatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String[] models = args.length > 0 ? args : new String[] {"tinymaix_mbnet128_0.25_float.tflite",
            "coral_mobilenet_v1_0.25_128_quant_uint8.tflite", "person_detect_int8.tflite", "nncase_ulffd_landmark.tflite"};
        for (String name : models) {
            Path p = name.contains("/") ? Path.of(name) : SharedFixtures.fixture("tflite/" + name);
            System.out.println(measure(p));
        }
    }

    /** "model: median x ms, best y ms over n runs" */
    public static String measure(Path model) throws Exception {
        ImportedModel m = TfliteImporter.importFile(model);
        TensorInfo in = m.inputs().get(0);
        int[] s = Arrays.copyOfRange(in.shape(), 1, in.shape().length);
        Tensor x = Tensor.zeros(s);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sin(i * 0.01);
        }
        for (int i = 0; i < 5; i++) {
            FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), x), false);
        }
        int runs = 15;
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            t[i] = FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), x), false).nanos();
        }
        Arrays.sort(t);
        return String.format(java.util.Locale.ROOT, "%-48s median %7.1f ms, best %7.1f ms over %d runs (%d cores)",
                model.getFileName(), t[runs / 2] / 1e6, t[0] / 1e6, runs, Runtime.getRuntime().availableProcessors());
    }
}

package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.compile.prepare.GraphPass;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/** What the per-pass tests (compile.prepare, compile.lower) share: random weights, float runs, graph summaries. */
public final class PassTesting {
    private PassTesting() {
    }

    /** A tensor of Gaussian values (σ = 0.3) from a fixed seed. */
    public static Tensor random(long seed, int... shape) {
        return generated(seed, shape, r -> r.nextGaussian() * 0.3);
    }

    /** A tensor of values uniform in [lo, hi) from a fixed seed (BatchNormalization variances, image inputs). */
    public static Tensor uniform(long seed, float lo, float hi, int... shape) {
        return generated(seed, shape, r -> lo + (hi - lo) * r.nextFloat());
    }

    private static Tensor generated(long seed, int[] shape, java.util.function.ToDoubleFunction<Random> next) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) next.applyAsDouble(r);
        }
        return new Tensor(shape, v);
    }

    /** Applies a preparation pass to the graph in place; returns a copy of the graph as it was before. */
    public static Graph applyTo(GraphPass pass, Graph g) {
        Graph before = g.copy();
        pass.apply(g);
        return before;
    }

    /** Asserts that the pass leaves each of these graphs exactly as it was (the negative cases). */
    public static void assertLeavesUnchanged(GraphPass pass, Graph... graphs) {
        for (Graph g : graphs) {
            Graph before = applyTo(pass, g);
            if (!g.equals(before)) {
                throw new AssertionError(pass.name() + " changed " + g.name() + ": " + structure(before) + " → " + structure(g));
            }
        }
    }

    /** A random input for the graph's one Input layer, in [-1, 1). */
    public static Tensor inputFor(Graph g, long seed) {
        TensorShape s = ((Input) g.layer(g.inputIds().get(0)).params()).shape();
        return uniform(seed, -1f, 1f, s.dims());
    }

    /** The float outputs of a graph on an input, in output order. */
    public static List<Tensor> run(Graph g, Tensor x) {
        EvaluationResult r = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < r.outputIds().size(); i++) {
            out.add(r.output(i));
        }
        return out;
    }

    /** The largest |a − b| over all outputs of two graphs run on the same random input (shapes must agree). */
    public static double maxOutputDifference(Graph before, Graph after, long seed) {
        Tensor x = inputFor(before, seed);
        List<Tensor> a = run(before, x);
        List<Tensor> b = run(after, x);
        if (a.size() != b.size()) {
            throw new AssertionError("the graphs have " + a.size() + " and " + b.size() + " outputs");
        }
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i).shape(), b.get(i).shape())) {
                throw new AssertionError("output " + i + ": shape " + java.util.Arrays.toString(a.get(i).shape()) + " vs "
                        + java.util.Arrays.toString(b.get(i).shape()));
            }
            worst = Math.max(worst, ErrorStats.of(a.get(i).data(), b.get(i).data()).maxAbsDiff());
        }
        return worst;
    }

    /** One line per layer in execution order: "name: KerasName ← producer names". */
    public static List<String> structure(Graph g) {
        List<String> out = new ArrayList<>();
        for (String id : g.topologicalOrder()) {
            Layer l = g.layer(id);
            String ins = g.inputsOf(id).stream().map(p -> g.layer(p).name()).collect(Collectors.joining(", "));
            out.add(l.name() + ": " + l.params().kerasName() + (ins.isEmpty() ? "" : " ← " + ins));
        }
        return out;
    }

    /** The names of the graph's outputs. */
    public static List<String> outputNames(Graph g) {
        return g.outputIds().stream().map(id -> g.layer(id).name()).toList();
    }

    /** The layer named so (failing when there is none). */
    public static Layer named(Graph g, String name) {
        Layer l = g.layerNamed(name);
        if (l == null) {
            throw new AssertionError("no layer named " + name + " in " + structure(g));
        }
        return l;
    }

    /** The one layer whose name starts so (TFLite names are long: "conv_dw_2_relu/Relu6;FusedBatchNormV3;…"). */
    public static Layer startingWith(Graph g, String prefix) {
        List<Layer> found = g.layers().stream().filter(l -> l.name().startsWith(prefix)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " layers are named " + prefix + "…");
        }
        return found.get(0);
    }

    /** Random images for the graph's input, values in [-1, 1). */
    public static List<Tensor> samples(Graph g, int n) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(inputFor(g, 1000 + i));
        }
        return out;
    }

    /** Prepares, calibrates on a few random images and lowers a graph: the program the emission passes produce. */
    public static K210Program lower(Graph source, CompileOptions opt) throws CompileException {
        Graph prepared = GraphPreparer.prepare(source);
        Calibration cal = Calibrator.calibrate(prepared, samples(source, 3), opt.target(), null);
        return k210studio.converter.compile.lower.K210Lowering.lower(prepared, cal, opt);
    }

    public static K210Program lower(Graph source, QuantRules target) throws CompileException {
        return lower(source, CompileOptions.defaults(target));
    }

    /** The program's steps as "StepKind source" lines. */
    public static List<String> steps(K210Program p) {
        return p.steps().stream().map(s -> s.getClass().getSimpleName() + " " + s.source()).toList();
    }
}

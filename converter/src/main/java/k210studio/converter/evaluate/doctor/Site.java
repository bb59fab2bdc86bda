package k210studio.converter.evaluate.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.compile.LayerTensorMap;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.evaluate.TopClasses;
import k210studio.converter.quant.KpuWeights;
import k210studio.converter.quant.QuantParam;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;

/**
 * A quantized value of a compiled model, seen on the float side: the prepared-graph layer whose output the kmodel
 * holds as uint8, the grid it holds it on (the compiler's own {@link QuantParam}), and that layer with its KPU weights
 * fake-quantized the way the kmodel stores them. {@link #run} is the sensitivity experiment on one image: the float
 * model with only this layer quantized.
 *
 * @param layer      the prepared graph's layer
 * @param quant      the uint8 grid of its output in the kmodel
 * @param quantLayer the layer with fake-quantized weights (the layer itself when it has no KPU weights)
 * @param downstream the layers that depend on it, in evaluation order
 */
record Site(Layer layer, QuantParam quant, QuantRules rules, Layer quantLayer, List<String> downstream) {

    /** One image of the experiment. */
    record Outcome(boolean agrees, double snrDb, double weightError, double gridError, boolean clipped, float min, float max) {
    }

    /** The real range of the grid: codes 0 and 2^bits − 1. */
    ValueRange grid() {
        return new ValueRange((float) quant.dequantize(0), (float) quant.dequantize(quant.maxQ()));
    }

    /** Every distinct quantized value of the compile whose float counterpart is a layer of the prepared graph. */
    static List<Site> of(K210Compiler.Result c, QuantRules rules, int weightBits) {
        Graph g = c.prepared();
        Map<String, Site> out = new LinkedHashMap<>();
        Map<String, Boolean> kpu = new HashMap<>();
        for (LayerTensorMap.Entry e : c.layers().layers()) {
            if (e.tensor() != null && e.value() != null && c.program().steps().get(e.step()) instanceof PlanStep.KpuConv) {
                kpu.put(e.tensor(), true);
            }
        }
        List<String> order = g.topologicalOrder();
        for (LayerTensorMap.Entry e : c.layers().layers()) {
            PlannedValue v = e.value();
            Layer l = e.tensor() == null ? null : g.layerNamed(e.tensor());
            if (v == null || l == null || v.quant() == null || v.storage() == Storage.MAIN_F32 || l.params() instanceof Input
                    || out.containsKey(l.name())) {
                continue;
            }
            Layer q = kpu.containsKey(l.name()) ? withQuantizedWeights(l, rules, weightBits) : l;
            out.put(l.name(), new Site(l, v.quant(), rules, q, downstream(g, order, l.id())));
        }
        return new ArrayList<>(out.values());
    }

    private static List<String> downstream(Graph g, List<String> order, String id) {
        Set<String> reached = new HashSet<>(Set.of(id));
        List<String> out = new ArrayList<>();
        for (String x : order.subList(order.indexOf(id) + 1, order.size())) {
            if (g.inputsOf(x).stream().anyMatch(reached::contains)) {
                reached.add(x);
                out.add(x);
            }
        }
        return out;
    }

    /**
     * The layer with its kernel as the KPU holds it ({@link KpuWeights}, kpu-arith.md §4.3): each output channel (the
     * kernel's last axis, a depthwise kernel's last two) stretched by its equalisation factor to the global range, all on one uint8 (V3: or 16-bit)
     * grid, and back to real numbers. The bias stays: the BN stage adds it at full precision.
     */
    static Layer withQuantizedWeights(Layer l, QuantRules rules, int bits) {
        Map<String, Tensor> w = new LinkedHashMap<>(l.weights());
        for (Map.Entry<String, Tensor> e : l.weights().entrySet()) {
            Tensor t = e.getValue();
            if (!e.getKey().contains("kernel") || t.rank() < 2) {
                continue;
            }
            float[] x = t.data();
            // HWIO / [in, units]: the last axis; depthwise HWCM: channel × multiplier
            int outC = e.getKey().startsWith("depthwise") ? t.dim(t.rank() - 2) * t.dim(t.rank() - 1) : t.dim(t.rank() - 1);
            int per = x.length / outC;
            float[] grouped = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                grouped[(i % outC) * per + i / outC] = x[i];
            }
            KpuWeights q = KpuWeights.quantize(grouped, outC, bits, rules);
            float[] back = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                int o = i % outC;
                back[i] = (float) (q.param().dequantize(q.q()[o * per + i / outC]) / q.equalization()[o]);
            }
            w.put(e.getKey(), new Tensor(t.shape(), back));
        }
        return l.withWeights(w);
    }

    static float[] fakeQuantize(float[] x, QuantParam q, QuantRules rules) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) q.dequantize(q.quantize(x[i], rules));
        }
        return y;
    }

    /** The float model on one image (every tensor kept) with only this layer quantized: its top-1 against float. */
    Outcome run(Graph g, EvaluationResult ref) {
        Tensor f = ref.tensor(layer.id());
        float[] yf = f.data();
        float[] yw = quantLayer == layer ? yf : FloatEvaluator.evaluateLayer(quantLayer, args(g, layer.id(), ref.tensors())).data();
        float[] fq = fakeQuantize(yw, quant, rules);
        float[] gridOnly = quantLayer == layer ? fq : fakeQuantize(yf, quant, rules);
        double weightError = 0;
        double gridError = 0;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < yf.length; i++) {
            weightError += sq(yw[i] - yf[i]);
            gridError += sq(gridOnly[i] - yf[i]);
            lo = Math.min(lo, yf[i]);
            hi = Math.max(hi, yf[i]);
        }
        double half = 0.5 / quant.scale();
        ValueRange grid = grid();
        boolean clipped = lo < grid.min() - half || hi > grid.max() + half;
        Map<String, Tensor> values = new HashMap<>(ref.tensors());
        values.put(layer.id(), new Tensor(f.shape(), fq));
        for (String d : downstream) {
            values.put(d, FloatEvaluator.evaluateLayer(g.layer(d), args(g, d, values)));
        }
        String out = g.outputIds().get(0);
        boolean agrees = TopClasses.top1(values.get(out).data()) == TopClasses.top1(ref.tensor(out).data());
        return new Outcome(agrees, QuantDoctor.snr(yf, fq), weightError, gridError, clipped, lo, hi);
    }

    private static List<Tensor> args(Graph g, String id, Map<String, Tensor> values) {
        List<Tensor> a = new ArrayList<>();
        for (String p : g.inputsOf(id)) {
            a.add(values.get(p));
        }
        return a;
    }

    private static double sq(double d) {
        return d * d;
    }
}

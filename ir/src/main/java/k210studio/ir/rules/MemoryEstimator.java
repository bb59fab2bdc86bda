package k210studio.ir.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.tensor.TensorShape;

/**
 * Whole-model memory for one target ({@code k210-rules.md} "Memory"). KPU RAM: for every KPU
 * layer its input and output maps, both resident, in 64-byte lines ({@link KpuLayout}); the peak
 * is the largest such pair. Main RAM: the kmodel is loaded into RAM, so its 8-bit KPU weights,
 * per-layer BN table (8 B per output channel), activation table (18 × 8 B) and register block
 * (12 × 8 B) count, plus float32 weights of CPU layers, plus CPU buffers (the largest input +
 * output pair of a CPU layer in float32, and the model outputs). An estimate of nncase's
 * {@code main_mem_usage}, not its exact allocator.
 */
final class MemoryEstimator {
    static final int BN_BYTES_PER_CHANNEL = 8;
    static final int ACT_TABLE_BYTES = 18 * 8;
    static final int LAYER_ARGS_BYTES = 12 * 8;

    private MemoryEstimator() {
    }

    /** Memory of one target; adds MEM1 hits (UNSUPPORTED) to groups whose maps do not fit the KPU RAM. */
    static MemoryEstimate estimate(CheckContext ctx, Target t, KpuGrouper.Grouping grouping, Map<String, KpuGroupRules.Result> groupResults,
                                   Map<String, LayerRules.Result> layerResults, Map<String, Verdict> verdicts, MemoryBudget budget) {
        List<KpuLayerMemory> kpu = new ArrayList<>();
        Map<String, Long> weightsPerLayer = new HashMap<>();
        long tables = 0;
        long cpuBuffers = 0;
        String cpuBufferLayer = null;
        for (String id : ctx.order) {
            Layer l = ctx.layer(id);
            LayerParams p = l.params();
            Verdict v = verdicts.get(id);
            KpuGroup g = grouping.byLayer().get(id);
            TensorShape out = ctx.shape(id);
            TensorShape in = ctx.inputShape(id);
            boolean onKpu = v == Verdict.KPU || v == Verdict.KPU_CPU;
            if (g != null && g.convId().equals(id) && onKpu && g.input() != null && g.input().isImage() && out != null && out.isImage()) {
                KpuGroupRules.Result gr = groupResults.get(id);
                ConvSpec s = ConvSpec.of(p);
                int cin = g.input().c();
                int cout = out.c();
                int hin = g.input().h() + (t == Target.V4 ? gr.prePadH : 0);
                int win = g.input().w() + (t == Target.V4 ? gr.prePadW : 0);
                TensorShape kin = TensorShape.hwc(hin, win, cin);
                TensorShape kout;
                if (gr.paddingExact && s.strideOk() && !gr.strideMovedToNext) {
                    kout = g.output();
                } else {
                    int div = s.strideH() == 2 && !gr.strideMovedToNext ? 2 : 1;
                    kout = TensorShape.hwc(Math.max(1, hin / div), Math.max(1, win / div), cout);
                }
                if (t == Target.V3 && gr.fullyConnectedV3) {
                    kpu.add(mem(id, l.name(), "4×4 padded", TensorShape.hwc(4, 4, cin), TensorShape.hwc(4, 4, cout)));
                    tables += ACT_TABLE_BYTES + LAYER_ARGS_BYTES + (long) BN_BYTES_PER_CHANNEL * cout;
                } else if (s.kind() == ConvSpec.Kind.SEPARABLE) {
                    TensorShape mid = TensorShape.hwc(hin, win, cin * s.depthMultiplier());
                    kpu.add(mem(id, l.name(), "depthwise", kin, mid));
                    kpu.add(mem(id, l.name(), "pointwise", mid, kout));
                    tables += 2L * (ACT_TABLE_BYTES + LAYER_ARGS_BYTES) + (long) BN_BYTES_PER_CHANNEL * (cin * s.depthMultiplier() + cout);
                } else {
                    kpu.add(mem(id, l.name(), "", kin, kout));
                    tables += ACT_TABLE_BYTES + LAYER_ARGS_BYTES + (long) BN_BYTES_PER_CHANNEL * cout;
                }
                weightsPerLayer.put(id, align(kernelElements(l, cin, cout), 128));
                if (t == Target.V4 && !gr.paddingExact) {
                    // nncase 0.2 pads (and later crops) on the CPU in main RAM, uint8: the map before and after the pad
                    long padBuffers = g.input().elements() + (long) hin * win * cin;
                    if (padBuffers > cpuBuffers) {
                        cpuBuffers = padBuffers;
                        cpuBufferLayer = id;
                    }
                }
            } else if (p instanceof Dense d && in != null) {
                LayerRules.Result lr = layerResults.get(id);
                boolean kpuDense = t == Target.V3 ? lr.denseOnKpuV3 : lr.denseOnKpuV4;
                long n = (long) in.c() * d.units();
                if (kpuDense) {
                    kpu.add(mem(id, l.name(), "4×4 padded", TensorShape.hwc(4, 4, in.c()), TensorShape.hwc(4, 4, d.units())));
                    weightsPerLayer.put(id, align(n, 128));
                    tables += ACT_TABLE_BYTES + LAYER_ARGS_BYTES + (long) BN_BYTES_PER_CHANNEL * d.units();
                } else {
                    weightsPerLayer.put(id, 4 * (n + (d.useBias() ? d.units() : 0)));
                }
            } else if (ConvSpec.of(p) != null || p instanceof Conv2DTranspose) {
                // a conv on the CPU: float weights
                TensorShape gin = g != null ? g.input() : in;
                if (gin != null && out != null) {
                    weightsPerLayer.put(id, 4 * (kernelElements(l, gin.c(), out.c()) + out.c()));
                }
            } else if (p instanceof BatchNormalization && g == null && out != null) {
                weightsPerLayer.put(id, 8L * out.c());
            } else if (p instanceof PReLU && l.weight("alpha") != null) {
                weightsPerLayer.put(id, 4L * l.weight("alpha").size());
            }
            // CPU buffers: a CPU layer reads and writes float32 tensors in main RAM
            boolean cpuLayer = v == Verdict.CPU || v == Verdict.KPU_CPU && g == null;
            if (cpuLayer && !(p instanceof Input) && !(p instanceof Dropout) && out != null) {
                long bytes = 4 * out.elements();
                for (String src : ctx.inputs.get(id)) {
                    TensorShape s = ctx.shape(src);
                    if (s != null) {
                        bytes += 4 * s.elements();
                    }
                }
                if (bytes > cpuBuffers) {
                    cpuBuffers = bytes;
                    cpuBufferLayer = id;
                }
            }
        }
        long outputs = 0;
        for (String o : ctx.outputs) {
            TensorShape s = ctx.shape(o);
            if (s != null) {
                outputs += 4 * s.elements();
            }
        }
        long weights = 0;
        for (long w : weightsPerLayer.values()) {
            weights += w;
        }
        long peak = 0;
        String peakLayer = null;
        for (KpuLayerMemory m : kpu) {
            if (m.totalBytes() > peak) {
                peak = m.totalBytes();
                peakLayer = m.layerName();
            }
        }
        List<String> problems = new ArrayList<>();
        for (KpuLayerMemory m : kpu) {
            if (!m.fits()) {
                String msg = String.format(Locale.ROOT, "KPU RAM: %s%s needs input %s (%,d B) + output %s (%,d B) = %,d B, more than the 2 MiB (%,d B) KPU RAM "
                                + "(nncase: \"KPU allocator cannot allocate more memory\") — stride or pool earlier, or use fewer channels",
                        m.layerName(), m.part().isEmpty() ? "" : " (" + m.part() + ")", m.input(), m.inputBytes(), m.output(), m.outputBytes(),
                        m.totalBytes(), KpuLayout.KPU_RAM_BYTES);
                problems.add(msg);
                KpuGroupRules.Result gr = groupResults.get(m.layerId());
                RuleHit hit = new RuleHit(Rule.MEM1, Verdict.UNSUPPORTED, msg);
                if (gr != null) {
                    (t == Target.V3 ? gr.v3 : gr.v4).add(hit);
                } else if (layerResults.get(m.layerId()) != null) {
                    LayerRules.Result lr = layerResults.get(m.layerId());
                    (t == Target.V3 ? lr.v3 : lr.v4).add(hit);
                }
            }
        }
        long buffers = cpuBuffers + outputs;
        long main = weights + tables + buffers;
        if (main > budget.bytes()) {
            // the layer at which the running total of weights (plus the buffers and tables) crosses the budget
            long running = tables + buffers;
            String breaker = null;
            String biggest = null;
            long biggestBytes = -1;
            for (String id : ctx.order) {
                long w = weightsPerLayer.getOrDefault(id, 0L);
                running += w;
                if (breaker == null && running > budget.bytes()) {
                    breaker = id;
                }
                if (w > biggestBytes) {
                    biggestBytes = w;
                    biggest = id;
                }
            }
            if (breaker == null) {
                breaker = cpuBufferLayer != null ? cpuBufferLayer : biggest;
            }
            problems.add(String.format(Locale.ROOT, "main RAM: the model needs about %,d B (weights %,d + tables %,d + CPU buffers %,d) but the '%s' budget "
                            + "leaves %,d B; the budget is exceeded at layer '%s'%s — shrink that layer, move work to the KPU, or choose a leaner firmware",
                    main, weights, tables, buffers, budget.label(), budget.bytes(), breaker == null ? "?" : ctx.layer(breaker).name(),
                    biggest == null || biggestBytes <= 0 ? "" : String.format(Locale.ROOT, " (largest weights: '%s', %,d B)", ctx.layer(biggest).name(), biggestBytes)));
        }
        return new MemoryEstimate(t, kpu, peak, peakLayer, weights, tables, buffers, budget, problems);
    }

    private static KpuLayerMemory mem(String id, String name, String part, TensorShape in, TensorShape out) {
        return new KpuLayerMemory(id, name, part, in, out, KpuLayout.bytes(in.w(), in.h(), in.c()), KpuLayout.bytes(out.w(), out.h(), out.c()));
    }

    private static long kernelElements(Layer l, int cin, int cout) {
        LayerParams p = l.params();
        if (p instanceof Conv2D c) {
            return (long) c.kernelH() * c.kernelW() * cin * cout;
        }
        if (p instanceof DepthwiseConv2D d) {
            return (long) d.kernelH() * d.kernelW() * cin * d.depthMultiplier();
        }
        if (p instanceof SeparableConv2D s) {
            return (long) s.kernelH() * s.kernelW() * cin * s.depthMultiplier() + (long) cin * s.depthMultiplier() * cout;
        }
        if (p instanceof Conv2DTranspose t) {
            return (long) t.kernelH() * t.kernelW() * cin * cout;
        }
        return 0;
    }

    private static long align(long n, int a) {
        return (n + a - 1) / a * a;
    }
}

package k210studio.converter.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.compile.lower.K210Lowering;
import k210studio.converter.memory.OutOfMemoryException;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * The one-call compiler: float graph + calibration samples → kmodel bytes (V3 or V4), the program, the memory plan
 * and a report. Nothing is written to disk here; a failure throws {@link CompileException} naming the layer.
 */
public final class K210Compiler {
    private K210Compiler() {
    }

    /** Everything a compile produced. */
    public record Result(byte[] kmodel, Kmodel model, K210Program program, MemoryPlanner.Result memory, Calibration calibration,
                         CompileReport report, Graph prepared, LayerTensorMap layers) {
    }

    /** Phase names reported to {@link Progress}. */
    public interface Progress {
        void phase(String name, int done, int total);
    }

    public static Result compile(Graph graph, List<Tensor> samples, CompileOptions opt, Progress progress) throws CompileException {
        Progress p = progress == null ? (n, d, t) -> { } : progress;
        p.phase("prepare", 0, 1);
        Graph prepared = GraphPreparer.prepare(graph);
        Calibration measured = Calibrator.calibrate(prepared, samples, opt.target(), (d, t) -> p.phase("calibrate", d, t));
        Calibration cal = overridden(prepared, OutputRanges.widen(prepared, measured), opt);
        p.phase("lower", 0, 1);
        K210Program program = K210Lowering.lower(prepared, cal, opt);
        MemoryPlanner.Result memory;
        try {
            memory = MemoryPlanner.plan(program);
        } catch (OutOfMemoryException e) {
            throw new CompileException(e.getMessage(), e.bufferName(), e);
        }
        p.phase("write", 0, 1);
        byte[] bytes;
        LayerTensorMap layers;
        if (opt.target() == QuantRules.V3) {
            bytes = V3KmodelEmitter.emit(program, memory, opt.weightBits()).toBytes();
            layers = LayerTensorMap.ofV3(program);
        } else {
            V4KmodelEmitter.Emitted v4 = V4KmodelEmitter.emitMapped(program, memory);
            bytes = k210studio.kpu.kmodel.v4.V4Writer.write(v4.model());
            layers = v4.layers();
        }
        checkMainRam(program, memory, bytes.length, opt);
        Kmodel model;
        try {
            model = KmodelFiles.read(bytes);
        } catch (KmodelFormatException e) {
            throw new CompileException("internal error: the written kmodel does not load back: " + e.getMessage(), null, e);
        }
        p.phase("done", 1, 1);
        return new Result(bytes, model, program, memory, cal, CompileReport.of(opt, program, memory, samples.size(), bytes.length, layers,
                OutputSaturation.of(prepared, cal)), prepared, layers);
    }

    /** The calibrated ranges with the options' output-range overrides (by layer name) in place. */
    private static Calibration overridden(Graph prepared, Calibration cal, CompileOptions opt) throws CompileException {
        if (opt.outputRanges().isEmpty()) {
            return cal;
        }
        Map<String, ValueRange> byId = new HashMap<>();
        for (Map.Entry<String, ValueRange> e : opt.outputRanges().entrySet()) {
            Layer l = prepared.layerNamed(e.getKey());
            if (l == null || !cal.outputRanges().containsKey(l.id())) {
                throw new CompileException("an output range is given for '" + e.getKey() + "', but the compiled network has no "
                        + "quantized layer of that name (BatchNormalization and activations fold into their conv: name the conv)", e.getKey());
            }
            byId.put(l.id(), e.getValue());
        }
        return cal.withOutputs(byId);
    }

    /**
     * The board keeps the whole kmodel (weights and tables) and its scratch buffer in main RAM; when that exceeds the
     * budget, name the layer whose weights cross it (cumulating in execution order on top of the scratch buffer).
     */
    private static void checkMainRam(K210Program program, MemoryPlanner.Result memory, long fileBytes, CompileOptions opt)
            throws CompileException {
        long scratch = (memory.main().extent() + 7) / 8 * 8;
        if (fileBytes + scratch <= opt.mainRamBudget()) {
            return;
        }
        long weightsTotal = 0;
        for (PlanStep s : program.steps()) {
            weightsTotal += weightBytes(s);
        }
        long fixed = scratch + Math.max(0, fileBytes - weightsTotal);
        long used = fixed;
        String guilty = program.steps().isEmpty() ? null : program.steps().get(program.steps().size() - 1).source();
        for (PlanStep s : program.steps()) {
            used += weightBytes(s);
            if (used > opt.mainRamBudget()) {
                guilty = s.source();
                break;
            }
        }
        throw new CompileException(String.format(java.util.Locale.ROOT,
                "the model needs %,d B of main RAM (kmodel %,d B + buffers %,d B) but the budget is %,d B; the weights of '%s' "
                        + "cross it. Fix: fewer channels or smaller Dense layers from there on, or a firmware with more free RAM.",
                fileBytes + scratch, fileBytes, scratch, opt.mainRamBudget(), guilty), guilty);
    }

    private static long weightBytes(PlanStep s) {
        if (s instanceof PlanStep.KpuConv k) {
            return k.plan().weightBytes() + 8L * k.plan().bnWords().length + 144;
        }
        if (s instanceof PlanStep.FullyConnected f) {
            return 4L * (f.weights().length + f.bias().length);
        }
        return 0;
    }
}

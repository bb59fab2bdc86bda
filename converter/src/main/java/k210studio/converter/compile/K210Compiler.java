package k210studio.converter.compile;

import java.util.List;
import k210studio.converter.memory.OutOfMemoryException;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
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
                         CompileReport report) {
    }

    /** Phase names reported to {@link Progress}. */
    public interface Progress {
        void phase(String name, int done, int total);
    }

    public static Result compile(Graph graph, List<Tensor> samples, CompileOptions opt, Progress progress) throws CompileException {
        Progress p = progress == null ? (n, d, t) -> { } : progress;
        p.phase("prepare", 0, 1);
        Graph prepared = GraphPreparer.prepare(graph);
        Calibration cal = Calibrator.calibrate(prepared, samples, opt.target(), (d, t) -> p.phase("calibrate", d, t));
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
        if (opt.target() == QuantRules.V3) {
            bytes = V3KmodelEmitter.emit(program, memory, opt.weightBits()).toBytes();
        } else {
            bytes = k210studio.kpu.kmodel.v4.V4Writer.write(V4KmodelEmitter.emit(program, memory));
        }
        Kmodel model;
        try {
            model = KmodelFiles.read(bytes);
        } catch (KmodelFormatException e) {
            throw new CompileException("internal error: the written kmodel does not load back: " + e.getMessage(), null, e);
        }
        p.phase("done", 1, 1);
        return new Result(bytes, model, program, memory, cal, CompileReport.of(opt, program, memory, samples.size(), bytes.length));
    }
}

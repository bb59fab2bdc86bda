package k210studio.converter.compile.lower;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.K210Program;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Layer;

/**
 * The program being emitted: steps in execution order, notes, the input, and for every IR layer the values that
 * hold its output (at most one per {@link Storage}); moving a value between float32, uint8 and KPU RAM adds the
 * dequantize/quantize/upload step the first time it is needed.
 */
final class ProgramBuilder {
    private final LoweringContext ctx;
    private final Map<String, Map<Storage, PlannedValue>> reps = new HashMap<>();
    private final List<PlanStep> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<PlannedValue> inputs = new ArrayList<>();
    /** Which IR layer's output each registered value holds (by layer name; values are compared by identity). */
    private final Map<PlannedValue, String> tensors = new HashMap<>();

    ProgramBuilder(LoweringContext ctx) {
        this.ctx = ctx;
    }

    void add(PlanStep step) {
        steps.add(step);
    }

    void note(String note) {
        notes.add(note);
    }

    void input(String id, PlannedValue v) {
        inputs.add(v);
        put(id, v);
    }

    /** Registers a value holding the output of layer {@code id}. */
    void put(String id, PlannedValue v) {
        PlannedValue before = reps.computeIfAbsent(id, k -> new EnumMap<>(Storage.class)).put(v.storage(), v);
        String name = ctx.g.layer(id).name();
        if (before != null && before != v && name.equals(tensors.get(before))) {
            tensors.remove(before); // e.g. a Dense's ':pre' output before its CPU softmax: not the layer's output
        }
        tensors.putIfAbsent(v, name); // a value registered for two layers (a conv and its fused pool) is the first's
    }

    /** Layer {@code id}'s output is held by the same values as {@code sameAs}'s (a no-op layer). */
    void alias(String id, String sameAs) {
        reps.put(id, reps.get(sameAs));
    }

    /** The value of layer {@code id} held in this storage, or null. */
    PlannedValue held(String id, Storage storage) {
        return reps.get(id).get(storage);
    }

    /** The producer of a layer's input port, which must have been lowered already. */
    String producer(Layer l, int port) {
        String p = ctx.g.inputsOf(l.id()).get(port);
        if (reps.get(p) == null) {
            throw new IllegalStateException("internal: " + ctx.g.layer(p).name() + " was not lowered before " + l.name());
        }
        return p;
    }

    PlannedValue floatValue(Layer l, int c, int h, int w) {
        return new PlannedValue(l.name(), Storage.MAIN_F32, c, h, w, null);
    }

    PlannedValue asFloat(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue f = r.get(Storage.MAIN_F32);
        if (f != null) {
            return f;
        }
        PlannedValue u8 = r.get(Storage.MAIN_U8);
        if (u8 == null) {
            throw new CompileException("internal: " + ctx.g.layer(id).name() + " has no main-memory copy", ctx.g.layer(id).name());
        }
        f = new PlannedValue(ctx.g.layer(id).name() + ":f32", Storage.MAIN_F32, u8.c(), u8.h(), u8.w(), null);
        steps.add(new PlanStep.Dequantize(ctx.g.layer(id).name(), u8, f));
        r.put(Storage.MAIN_F32, f);
        return f;
    }

    PlannedValue asMainU8(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue u8 = r.get(Storage.MAIN_U8);
        if (u8 != null) {
            return u8;
        }
        PlannedValue f = asFloat(id);
        QuantParam q = QuantParam.of(ctx.cal.output(id), ctx.rules);
        u8 = new PlannedValue(ctx.g.layer(id).name() + ":u8", Storage.MAIN_U8, f.c(), f.h(), f.w(), q);
        steps.add(new PlanStep.Quantize(ctx.g.layer(id).name(), f, u8));
        r.put(Storage.MAIN_U8, u8);
        return u8;
    }

    PlannedValue asKpu(String id) throws CompileException {
        Map<Storage, PlannedValue> r = reps.get(id);
        PlannedValue k = r.get(Storage.KPU);
        if (k != null) {
            return k;
        }
        PlannedValue u8 = asMainU8(id);
        if (u8.h() < 4 || u8.w() < 4) {
            throw new CompileException(ctx.g.layer(id).name() + ": a " + u8.w() + "×" + u8.h() + " map is too small for the KPU (4×4 minimum)",
                    ctx.g.layer(id).name());
        }
        k = new PlannedValue(ctx.g.layer(id).name() + ":kpu", Storage.KPU, u8.c(), u8.h(), u8.w(), u8.quant());
        steps.add(new PlanStep.Upload(ctx.g.layer(id).name(), u8, k));
        r.put(Storage.KPU, k);
        return k;
    }

    K210Program build() throws CompileException {
        List<PlannedValue> outs = new ArrayList<>();
        for (String id : ctx.g.outputIds()) {
            outs.add(asFloat(id));
        }
        return new K210Program(inputs, steps, outs, notes, tensors);
    }
}

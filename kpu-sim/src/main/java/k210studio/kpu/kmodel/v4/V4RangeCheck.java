package k210studio.kpu.kmodel.v4;

import java.util.Map;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.MemoryRange;

/**
 * Checks that every memory range of a model lies inside its pool: const ranges inside the
 * constants blob, main ranges inside {@code main_mem}, KPU ranges inside the 2 MiB KPU RAM.
 */
final class V4RangeCheck {
    private V4RangeCheck() {
    }

    static void check(V4Model model) throws KmodelFormatException {
        for (int i = 0; i < model.inputs().size(); i++) {
            check(model, model.inputs().get(i), "input range " + i);
        }
        for (int i = 0; i < model.outputs().size(); i++) {
            check(model, model.outputs().get(i), "output range " + i);
        }
        for (int i = 0; i < model.nodes().size(); i++) {
            V4Node n = model.nodes().get(i);
            for (Map.Entry<String, MemoryRange> e : V4BodyRanges.of(n.body()).entrySet()) {
                check(model, e.getValue(), "node " + i + " (" + n.opcode().spelling() + ") " + e.getKey());
            }
        }
    }

    static long poolSize(V4Model model, MemoryRange r) {
        switch (r.memoryType()) {
            case CONST: return model.constantsUnsafe().length;
            case MAIN: return model.mainMemSize();
            default: return V4Model.KPU_RAM_BYTES;
        }
    }

    private static void check(V4Model model, MemoryRange r, String what) throws KmodelFormatException {
        long pool = poolSize(model, r);
        if (r.end() > pool) {
            throw V4FormatErrors.general(what + " " + r + " ends at " + r.end() + ", beyond its "
                    + r.memoryType().name().toLowerCase() + " pool of " + pool + " bytes");
        }
    }
}

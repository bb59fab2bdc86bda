package k210studio.converter.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which IR tensor every value of a program holds. The lowering registers the values that are some layer's output
 * ({@link K210Program#tensors()}); a step that only moves, converts or re-pads a value (upload, quantize,
 * dequantize, CPU pad or crop, strided slice, add/remove padding, a KPU conv's main-memory copy) gives the other side
 * the same IR tensor, forwards and backwards (a KPU output before its crop holds the cropped layer's tensor; V3's
 * odd-grid pick layer only selects pixels). A
 * value reached by none (a pre-activation, LeakyReLU's α·x scratch) has no float counterpart.
 */
public final class TensorOrigins {
    /** The source suffix of the KPU layer {@code KpuConvLowering} adds to pick an odd sampling grid. */
    static final String ODD_GRID_PICK = "(odd-grid pick)";

    private TensorOrigins() {
    }

    public static Map<PlannedValue, String> of(K210Program p) {
        Map<PlannedValue, String> t = new HashMap<>(p.tensors());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (PlanStep s : p.steps()) {
                List<PlannedValue> same = sameTensor(s);
                for (int i = 0; i + 1 < same.size(); i += 2) {
                    PlannedValue a = same.get(i);
                    PlannedValue b = same.get(i + 1);
                    if (t.containsKey(a) && !t.containsKey(b)) {
                        t.put(b, t.get(a));
                        changed = true;
                    } else if (t.containsKey(b) && !t.containsKey(a)) {
                        t.put(a, t.get(b));
                        changed = true;
                    }
                }
            }
        }
        return t;
    }

    /** Pairs (flattened) of values a data move connects. */
    private static List<PlannedValue> sameTensor(PlanStep s) {
        if (s instanceof PlanStep.KpuConv k) {
            List<PlannedValue> out = k.plan().mainOutput() == null ? List.of() : List.of(k.plan().output(), k.plan().mainOutput());
            if (k.source().endsWith(ODD_GRID_PICK)) {
                // V3's identity 1×1 layer that keeps TensorFlow's odd grid: its input is the conv's full-resolution output
                return List.of(k.plan().input(), k.plan().output(), out.isEmpty() ? k.plan().output() : out.get(0),
                        out.isEmpty() ? k.plan().output() : out.get(1));
            }
            return out;
        }
        if (s instanceof PlanStep.Upload || s instanceof PlanStep.Quantize || s instanceof PlanStep.Dequantize
                || s instanceof PlanStep.PadU8 || s instanceof PlanStep.StridedSliceU8 || s instanceof PlanStep.RemovePadding
                || s instanceof PlanStep.AddPadding) {
            return List.of(s.reads().get(0), s.writes().get(0));
        }
        return List.of();
    }
}

package k210studio.converter.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network lowered to K210 steps: inputs, steps in execution order, outputs (each float32 or uint8 in main
 * memory) and the calibration facts a report shows. Addresses are filled in by {@link MemoryPlanner}.
 *
 * @param tensors for every value the lowering registered as an IR layer's output, that layer's name in the prepared
 *                graph (values are keyed by identity); {@link TensorOrigins} extends it to the values that only move
 *                or re-lay out one of them
 */
public record K210Program(List<PlannedValue> inputs, List<PlanStep> steps, List<PlannedValue> outputs,
                          List<String> notes, Map<PlannedValue, String> tensors) {
    public K210Program {
        inputs = List.copyOf(inputs);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        notes = List.copyOf(notes);
        tensors = Map.copyOf(new HashMap<>(tensors));
    }

    public K210Program(List<PlannedValue> inputs, List<PlanStep> steps, List<PlannedValue> outputs, List<String> notes) {
        this(inputs, steps, outputs, notes, Map.of());
    }
}

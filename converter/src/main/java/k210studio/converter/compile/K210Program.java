package k210studio.converter.compile;

import java.util.List;

/**
 * A network lowered to K210 steps: inputs, steps in execution order, outputs (each float32 or uint8 in main
 * memory) and the calibration facts a report shows. Addresses are filled in by {@link MemoryPlanner}.
 */
public record K210Program(List<PlannedValue> inputs, List<PlanStep> steps, List<PlannedValue> outputs,
                          List<String> notes) {
    public K210Program {
        inputs = List.copyOf(inputs);
        steps = List.copyOf(steps);
        outputs = List.copyOf(outputs);
        notes = List.copyOf(notes);
    }
}

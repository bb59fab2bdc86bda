package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For every layer (V3) or node (V4) of a kmodel our compiler wrote: the step it was emitted for, the value its
 * output is (the value kpu-sim's trace snapshot holds: for a KPU conv its pooled output, dense) and the IR layer (by
 * name, in the prepared graph) whose float output that value holds, or null when it has none.
 */
public record LayerTensorMap(List<Entry> layers) {
    public LayerTensorMap {
        layers = List.copyOf(layers);
    }

    /** One kmodel layer/node. {@code value} null: the layer writes no tensor of the program. */
    public record Entry(int layer, int step, String source, PlannedValue value, String tensor) {
    }

    public Entry layer(int i) {
        return i >= 0 && i < layers.size() ? layers.get(i) : null;
    }

    /** The map of a program emitted as {@code nodeValues} (per kmodel layer: step index and value written). */
    static LayerTensorMap of(K210Program program, List<Integer> nodeSteps, List<PlannedValue> nodeValues) {
        Map<PlannedValue, String> origins = TensorOrigins.of(program);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < nodeSteps.size(); i++) {
            int step = nodeSteps.get(i);
            PlannedValue v = nodeValues.get(i);
            out.add(new Entry(i, step, program.steps().get(step).source(), v, v == null ? null : origins.get(v)));
        }
        return new LayerTensorMap(out);
    }

    /** V3: one layer per step, each writing its first value (a KPU conv: its KPU output). */
    static LayerTensorMap ofV3(K210Program program) {
        List<Integer> steps = new ArrayList<>();
        List<PlannedValue> values = new ArrayList<>();
        for (int i = 0; i < program.steps().size(); i++) {
            List<PlannedValue> w = program.steps().get(i).writes();
            steps.add(i);
            values.add(w.isEmpty() ? null : w.get(0));
        }
        return of(program, steps, values);
    }
}

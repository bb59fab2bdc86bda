package k210studio.converter.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.tensor.Tensor;

/**
 * What a float evaluation produced: the output tensors (in the graph's output order) and, when
 * asked for, every layer's output (shapes without the batch dimension, NHWC).
 *
 * @param outputIds the graph outputs in order
 * @param tensors   layer id → output tensor (only the outputs unless everything was kept)
 * @param nanos     wall-clock time of the evaluation
 * @param layerNanos wall-clock time of each layer, in evaluation order
 */
public record EvaluationResult(List<String> outputIds, Map<String, Tensor> tensors, long nanos, Map<String, Long> layerNanos) {

    public EvaluationResult {
        outputIds = List.copyOf(outputIds);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        layerNanos = Collections.unmodifiableMap(new LinkedHashMap<>(layerNanos));
    }

    /** The first output. */
    public Tensor output() {
        return tensors.get(outputIds.get(0));
    }

    public Tensor output(int i) {
        return tensors.get(outputIds.get(i));
    }

    /** A layer's output, or null when it was not kept. */
    public Tensor tensor(String layerId) {
        return tensors.get(layerId);
    }
}

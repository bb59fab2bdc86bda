package k210studio.kpu.kmodel.v3;

import java.util.List;

/** QUANTIZED_CONCAT (17), 12 + 8n bytes: the same byte copy as CONCAT. */
public record QuantizedConcatBody(long flags, long out, List<V3MemoryRange> inputs) implements V3LayerBody {
    public QuantizedConcatBody {
        inputs = List.copyOf(inputs);
    }

    public V3LayerType type() {
        return V3LayerType.QUANTIZED_CONCAT;
    }
}

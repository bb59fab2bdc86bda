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

    public void write(LeBuffer o) {
        o.u32(flags);
        o.u32(out);
        o.u32(inputs.size());
        for (V3MemoryRange r : inputs) {
            o.u32(r.start());
            o.u32(r.size());
        }
    }
}

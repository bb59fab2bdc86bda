package k210studio.kpu.kmodel.v3;

import java.util.List;

/** CONCAT (16), 12 + 8n bytes: copies the input byte ranges one after another to out. */
public record ConcatBody(long flags, long out, List<V3MemoryRange> inputs) implements V3LayerBody {
    public ConcatBody {
        inputs = List.copyOf(inputs);
    }

    public V3LayerType type() {
        return V3LayerType.CONCAT;
    }
}

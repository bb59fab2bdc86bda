package k210studio.kpu.kmodel.v3;

/**
 * One layer of a V3 model: its typed body and the body_size of its layer header (content plus
 * trailing padding to the next 8-byte file boundary, as read; 0 for a layer built in code, which
 * makes the writer use the canonical size).
 */
public record V3Layer(V3LayerBody body, long bodySize) {
    public V3Layer {
        if (body == null) {
            throw new IllegalArgumentException("layer body is required");
        }
        if (bodySize < 0) {
            throw new IllegalArgumentException("negative body size");
        }
    }

    /** A layer whose body size the writer computes. */
    public static V3Layer of(V3LayerBody body) {
        return new V3Layer(body, 0);
    }

    public V3LayerType type() {
        return body.type();
    }
}

package k210studio.kpu.kmodel.layout;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * The values and file offsets of a body's fields seen so far, by field name: what sizers and checks
 * compute from. When reading, the fields before the current one; when writing, every stored value
 * of the record (offsets as they are written). Format-level parameters (V3's weight width) come in
 * as {@link #param}.
 */
public final class FieldValues {
    private final FieldErrors errors;
    private final FieldReader reader;
    private final Map<String, ?> params;
    private final long start;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private final Set<String> consulted = new LinkedHashSet<>();
    private long headEnd = -1;

    FieldValues(FieldErrors errors, FieldReader reader, Map<String, ?> params, long start) {
        this.errors = errors;
        this.reader = reader;
        this.params = params;
        this.start = start;
    }

    static FieldValues reading(FieldReader r, Map<String, ?> params) {
        return new FieldValues(r, r, params, r.position());
    }

    static FieldValues writing(FieldWriter w, Map<String, ?> params) {
        return new FieldValues(w, null, params, w.position());
    }

    /** A scope for the parts of one list entry or struct (same reader, errors and parameters). */
    FieldValues child() {
        return new FieldValues(errors, reader, params, reader == null ? 0 : reader.position());
    }

    Map<String, ?> params() {
        return params;
    }

    void headEnd(long at) {
        headEnd = at;
    }

    /** File offset where the fixed head ends (blocks must lie after it). */
    long headEnd() {
        return headEnd;
    }

    void put(String name, Object value) {
        values.put(name, value);
    }

    void offset(String name, long at) {
        offsets.put(name, at);
    }

    /** True while reading bytes (false while writing a record). */
    public boolean reading() {
        return reader != null;
    }

    /** File offset of the body's first byte. */
    public long start() {
        return start;
    }

    /** Bytes left in the body window when reading; unbounded when writing. */
    public long remaining() {
        return reader == null ? Long.MAX_VALUE : reader.remaining();
    }

    /** Absolute end of the body window when reading; unbounded when writing. */
    public long limit() {
        return reader == null ? Long.MAX_VALUE : reader.limit();
    }

    public Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException("the declaration refers to field '" + name + "' before it is known");
        }
        consulted.add(name);
        return values.get(name);
    }

    public <T> T get(String name, Class<T> type) {
        return type.cast(get(name));
    }

    /** An integer field's value (int, long or a count) as a long. */
    public long integer(String name) {
        return ((Number) get(name)).longValue();
    }

    public int i32(String name) {
        return (int) integer(name);
    }

    /** File offset of a field already read or written. */
    public long offset(String name) {
        Long at = offsets.get(name);
        if (at == null) {
            throw new IllegalStateException("field '" + name + "' has no offset yet");
        }
        return at;
    }

    public Object param(String key) {
        return params.get(key);
    }

    /** The fields sizers and checks looked at (generators keep those small). */
    public Set<String> consulted() {
        return Set.copyOf(consulted);
    }

    public KmodelFormatException error(long offset, String field, String problem) {
        return errors.error(offset, field, problem);
    }
}

package k210studio.kpu.kmodel.layout;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * The layout of one record type in the file: its fields in file order, each stored field filling
 * the record's components in order (checked when the layout is built: names and types must match).
 * This one declaration reads, writes, range checks, lists the values for dumps and the leaf spans
 * for field-aware fuzzing; no body type has a hand-written reader or writer.
 */
public final class RecordLayout<R> {
    private final Class<R> type;
    private final List<Field<?>> fields;
    private final Constructor<R> constructor;
    private final Method[] accessors;
    private final String[] componentNames;
    private final int[][] slots;
    private final long headBytes;
    private final long fixedBytes;

    private RecordLayout(Class<R> type, List<Field<?>> fields) {
        this.type = type;
        this.fields = List.copyOf(fields);
        RecordComponent[] rc = type.getRecordComponents();
        if (rc == null) {
            throw new IllegalArgumentException(type + " is not a record");
        }
        accessors = new Method[rc.length];
        componentNames = new String[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            accessors[i] = rc[i].getAccessor();
            componentNames[i] = rc[i].getName();
            types[i] = rc[i].getType();
        }
        slots = new int[fields.size()][];
        int next = 0;
        for (int f = 0; f < fields.size(); f++) {
            Field<?> field = fields.get(f);
            if (!field.stored()) {
                slots[f] = new int[0];
                continue;
            }
            List<String> names = field.componentNames();
            List<Class<?>> fieldTypes = field.componentTypes();
            slots[f] = new int[names.size()];
            for (int k = 0; k < names.size(); k++, next++) {
                if (next >= rc.length || !componentNames[next].equals(names.get(k))
                        || !types[next].equals(fieldTypes.get(k))) {
                    throw new IllegalStateException(type.getSimpleName() + ": field '" + field.name() + "' fills "
                            + fieldTypes.get(k).getSimpleName() + " " + names.get(k) + " but the record has "
                            + (next < rc.length ? types[next].getSimpleName() + " " + componentNames[next]
                            : "no more components") + " there");
                }
                slots[f][k] = next;
            }
        }
        if (next != rc.length) {
            throw new IllegalStateException(type.getSimpleName() + ": no field fills component " + componentNames[next]);
        }
        try {
            constructor = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        headBytes = headBytes(this.fields);
        long sum = 0;
        for (Field<?> f : this.fields) {
            sum = f.fixedBytes() < 0 || sum < 0 ? -1 : sum + f.fixedBytes();
        }
        fixedBytes = sum;
    }

    private static long headBytes(List<Field<?>> fields) {
        long head = 0;
        for (Field<?> f : fields) {
            if (f instanceof BlockField<?>) {
                return head;
            }
            if (f.fixedBytes() < 0) {
                return -1;
            }
            head += f.fixedBytes();
        }
        return -1;
    }

    /** The layout of {@code type}: {@code fields} in file order. */
    public static <R> RecordLayout<R> of(Class<R> type, Field<?>... fields) {
        return new RecordLayout<>(type, List.of(fields));
    }

    public Class<R> type() {
        return type;
    }

    public List<Field<?>> fields() {
        return fields;
    }

    /** Bytes every value takes, or -1 when it varies. */
    public long fixedBytes() {
        return fixedBytes;
    }

    /** Reads one value at the reader's position; {@code params} are format-level values sizers use. */
    public R read(FieldReader r, Map<String, ?> params) throws KmodelFormatException {
        return readIn(r, params, "");
    }

    /** Reads one value whose fields are named {@code prefix + field name} in messages (header tables). */
    public R read(FieldReader r, String prefix) throws KmodelFormatException {
        return readIn(r, Map.of(), prefix);
    }

    /**
     * Writes one value at the writer's position.
     *
     * @throws IllegalArgumentException naming the field when a value is outside its declared range
     */
    public void write(R value, FieldWriter w, Map<String, ?> params) {
        try {
            writeIn(w, value, params, "");
        } catch (KmodelFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** As {@link #write} for a value known only as a record of this layout's type. */
    public void writeAny(Object value, FieldWriter w, Map<String, ?> params) {
        write(type.cast(value), w, params);
    }

    R readIn(FieldReader r, Map<String, ?> params, String prefix) throws KmodelFormatException {
        FieldValues v = FieldValues.reading(r, params);
        if (headBytes >= 0) {
            v.headEnd(v.start() + headBytes);
        }
        Object[] args = new Object[componentNames.length];
        for (int f = 0; f < fields.size(); f++) {
            Field<?> field = fields.get(f);
            Object x = field.readField(r, v, prefix + field.name());
            v.put(field.name(), x);
            spread(f, x, args);
        }
        try {
            return construct(args);
        } catch (IllegalArgumentException e) {
            throw r.error(v.start(), prefix.isEmpty() ? type.getSimpleName() : prefix, e.getMessage());
        }
    }

    void writeIn(FieldWriter w, R value, Map<String, ?> params, String prefix) throws KmodelFormatException {
        FieldValues v = FieldValues.writing(w, params);
        Object[] comps = components(value);
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f).stored()) {
                v.put(fields.get(f).name(), gather(f, comps));
            }
        }
        if (headBytes >= 0) {
            v.headEnd(v.start() + headBytes);
            place(v, comps);
        }
        for (int f = 0; f < fields.size(); f++) {
            Field<?> field = fields.get(f);
            Object x = field.stored() ? gather(f, comps) : field.derive(v);
            v.put(field.name(), x);
            field.writeField(w, x, v, prefix + field.name());
        }
    }

    /** Gives every block its absolute offset: one after another after the head, each aligned. */
    private void place(FieldValues v, Object[] comps) {
        long pos = v.headEnd();
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f) instanceof BlockField<?> b) {
                pos = (pos + b.alignment() - 1) / b.alignment() * b.alignment();
                v.put(b.pointer(), pos);
                pos += bytesOf(b, gather(f, comps));
            }
        }
    }

    long bytes(R value) {
        Object[] comps = components(value);
        long n = 0;
        for (int f = 0; f < fields.size(); f++) {
            Field<?> field = fields.get(f);
            if (!field.stored()) {
                if (field.fixedBytes() < 0) {
                    throw new IllegalStateException(field + " has no fixed size");
                }
                n += field.fixedBytes();
            } else {
                n += bytesOf(field, gather(f, comps));
            }
        }
        return n;
    }

    private static <T> long bytesOf(Field<T> f, Object value) {
        return f.bytes(f.cast(value));
    }

    private void spread(int f, Object x, Object[] args) {
        int[] s = slots[f];
        if (s.length == 1) {
            args[s[0]] = x;
        } else {
            for (int k = 0; k < s.length; k++) {
                args[s[k]] = ((Object[]) x)[k];
            }
        }
    }

    private Object gather(int f, Object[] comps) {
        int[] s = slots[f];
        if (s.length == 1) {
            return comps[s[0]];
        }
        Object[] x = new Object[s.length];
        for (int k = 0; k < s.length; k++) {
            x[k] = comps[s[k]];
        }
        return x;
    }

    /** The stored values in file order, by record component (what dumps print). */
    public List<FieldValue> values(R value) {
        Object[] comps = components(value);
        List<FieldValue> out = new ArrayList<>();
        for (int f = 0; f < fields.size(); f++) {
            for (int k : slots[f]) {
                out.add(new FieldValue(fields.get(f), componentNames[k], comps[k]));
            }
        }
        return out;
    }

    /** Where each leaf field of {@code value} lands when written at file offset {@code at}. */
    public List<FieldSpan> spans(R value, long at, Map<String, ?> params) {
        SpanRecorder rec = new SpanRecorder(at);
        try {
            writeIn(rec, value, params, "");
        } catch (KmodelFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return rec.spans();
    }

    /** A value from its components in record order. */
    public R construct(Object... components) {
        try {
            return constructor.newInstance(components);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The components of a value in record order. */
    public Object[] components(R value) {
        Object[] out = new Object[accessors.length];
        for (int i = 0; i < accessors.length; i++) {
            try {
                out[i] = accessors[i].invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RecordLayout(" + type.getSimpleName() + ", " + fields.size() + " fields)";
    }
}

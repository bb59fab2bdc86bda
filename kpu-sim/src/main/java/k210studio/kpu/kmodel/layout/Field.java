package k210studio.kpu.kmodel.layout;

import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * One declared field of a body: its name as the spec spells it (used in every error message), the
 * Java type of its value, the record component it fills, and how it is read, written and range
 * checked. Build fields with {@link Fields}; a {@link RecordLayout} lists them in file order.
 *
 * @param <T> the value type (boxed for primitive components)
 */
public abstract class Field<T> {
    private final String name;
    private final Class<?> type;
    private final long fixedBytes;
    private String component;
    private Role role = Role.NONE;
    private boolean optional;
    private Check<? super T> check;

    /** @param fixedBytes the bytes every value takes, or -1 when it varies */
    Field(String name, Class<?> type, long fixedBytes) {
        this.name = name;
        this.type = type;
        this.fixedBytes = fixedBytes;
    }

    /** The spec's name, e.g. {@code fused_activation}; sub-fields carry their separator ({@code .min}, {@code [0]}). */
    public final String name() {
        return name;
    }

    /** Java type of the value, as the record component declares it. */
    public final Class<?> type() {
        return type;
    }

    /** The record component this field fills: as given with {@link #as}, else the name in lowerCamelCase. */
    public String component() {
        return component != null ? component : camel(name);
    }

    List<String> componentNames() {
        return List.of(component());
    }

    List<Class<?>> componentTypes() {
        return List.of(type);
    }

    /** False for derived fields (counts, gaps, pointers): the file stores them, the record does not. */
    public boolean stored() {
        return true;
    }

    /** For memory ranges: whether the op reads or writes it. */
    public Role role() {
        return role;
    }

    /** For memory ranges: a range of size 0 means "not used" (kpu_conv2d's main-memory copy). */
    public boolean optional() {
        return optional;
    }

    /** Bytes the field takes whatever its value, or -1 when it varies. */
    public final long fixedBytes() {
        return fixedBytes;
    }

    /** Fills the record component {@code component} (when the spec's name and the component's differ). */
    public Field<T> as(String component) {
        this.component = component;
        return this;
    }

    public Field<T> input() {
        this.role = Role.INPUT;
        return this;
    }

    public Field<T> output() {
        this.role = Role.OUTPUT;
        return this;
    }

    /** Marks a memory range that is absent when its size is 0. */
    public Field<T> optionalWhenEmpty() {
        this.optional = true;
        return this;
    }

    /** Adds a rule the value must meet, checked when reading and when writing. */
    public Field<T> check(Check<? super T> check) {
        this.check = check;
        return this;
    }

    abstract T read(FieldReader r, FieldValues v, String path) throws KmodelFormatException;

    abstract void write(FieldWriter w, T value, FieldValues v, String path) throws KmodelFormatException;

    /** Bytes the value takes in the file. */
    long bytes(T value) {
        if (fixedBytes < 0) {
            throw new IllegalStateException(name + " must say how many bytes its value takes");
        }
        return fixedBytes;
    }

    /** Bytes the field will take when read, from the fields before it. */
    long expectedBytes(FieldValues v) throws KmodelFormatException {
        if (fixedBytes() < 0) {
            throw new IllegalStateException(name + " has no size known before it is read");
        }
        return fixedBytes();
    }

    /** The value of a derived field, from the record's values (writing). */
    T derive(FieldValues v) throws KmodelFormatException {
        throw new IllegalStateException(name + " is stored, not derived");
    }

    final T readField(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = r.position();
        v.offset(name, at);
        T x = read(r, v, path);
        if (check != null) {
            check.verify(x, v, at, path);
        }
        return x;
    }

    final void writeField(FieldWriter w, Object value, FieldValues v, String path) throws KmodelFormatException {
        T x = cast(value);
        v.offset(name, w.position());
        if (x == null) {
            throw w.error(w.position(), path, "has no value");
        }
        if (check != null) {
            check.verify(x, v, w.position(), path);
        }
        write(w, x, v, path);
    }

    @SuppressWarnings("unchecked")
    final T cast(Object value) {
        return (T) value;
    }

    static String camel(String name) {
        StringBuilder s = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (s.length() == 0 && !Character.isLetter(c)) {
                continue; // the separator of a part name: ".min", "[0]"
            }
            if (c == '_' || c == ' ') {
                up = true;
            } else {
                s.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}

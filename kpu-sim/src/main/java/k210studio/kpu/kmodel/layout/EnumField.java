package k210studio.kpu.kmodel.layout;

import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import k210studio.kpu.kmodel.KmodelFormatException;

/** An enum stored as a u32 code; an unknown code is refused with the codes the format knows. */
public final class EnumField<E extends Enum<E>> extends Field<E> {
    private final Class<E> enumType;
    private final LongFunction<E> ofCode;
    private final ToLongFunction<E> code;
    private final String known;

    EnumField(String name, Class<E> enumType, LongFunction<E> ofCode, ToLongFunction<E> code, String known) {
        super(name, enumType, 4);
        this.enumType = enumType;
        this.ofCode = ofCode;
        this.code = code;
        this.known = known;
    }

    public List<E> constants() {
        return List.of(enumType.getEnumConstants());
    }

    public long code(E value) {
        return code.applyAsLong(value);
    }

    @Override
    E read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = r.position();
        long c = r.u32(path);
        E e = ofCode.apply(c);
        if (e == null) {
            throw r.error(at, path, "is " + c + "; " + known);
        }
        return e;
    }

    @Override
    void write(FieldWriter w, E value, FieldValues v, String path) {
        w.mark(path, this, 4);
        w.u32(code.applyAsLong(value));
    }
}

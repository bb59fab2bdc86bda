package k210studio.kpu.kmodel.layout;

import java.lang.reflect.Array;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A derived u32: the number of entries of a later list or array (concat's {@code inputs_count}).
 * Reading checks that that many entries of {@code unitBytes} each fit in the rest of the body.
 */
public final class CountField extends DerivedU32Field {
    private final String counted;
    private final int unitBytes;
    private final String units;

    CountField(String name, String counted, int unitBytes, String units) {
        super(name);
        this.counted = counted;
        this.unitBytes = unitBytes;
        this.units = units;
    }

    @Override
    Long read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = r.position();
        long n = r.u32(path);
        if (n * unitBytes > r.remaining()) {
            throw r.error(at, path, n + " " + units + " need " + n * unitBytes + " bytes but the body has "
                    + r.remaining() + " left");
        }
        return n;
    }

    @Override
    Long derive(FieldValues v) {
        Object x = v.get(counted);
        return (long) (x instanceof List<?> l ? l.size() : Array.getLength(x));
    }
}

package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** A signed 32-bit integer, optionally at least {@link #min()} (counts are at least 0). */
public final class IntField extends Field<Integer> {
    private final int min;

    IntField(String name, int min) {
        super(name, int.class, 4);
        this.min = min;
    }

    public int min() {
        return min;
    }

    private String problem(int x) {
        return min == 0 ? "is negative (" + x + ")" : "must be at least " + min + ", is " + x;
    }

    @Override
    Integer read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long at = r.position();
        int x = r.i32(path);
        if (x < min) {
            throw r.error(at, path, problem(x));
        }
        return x;
    }

    @Override
    void write(FieldWriter w, Integer x, FieldValues v, String path) throws KmodelFormatException {
        if (x < min) {
            throw w.error(w.position(), path, problem(x));
        }
        w.mark(path, this, 4);
        w.i32(x);
    }
}

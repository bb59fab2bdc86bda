package k210studio.kpu.kmodel.layout;

import k210studio.kpu.kmodel.KmodelFormatException;

/** Derived zero padding whose length an earlier field stores (kpu_conv2d's table gaps): skipped, written as zeros. */
public final class GapField extends Field<Long> {
    private final Sizer bytes;

    GapField(String name, Sizer bytes) {
        super(name, long.class, -1);
        this.bytes = bytes;
    }

    @Override
    public boolean stored() {
        return false;
    }

    @Override
    Long read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long n = bytes.count(v);
        r.skip(n, path);
        return n;
    }

    @Override
    Long derive(FieldValues v) throws KmodelFormatException {
        return bytes.count(v);
    }

    @Override
    void write(FieldWriter w, Long value, FieldValues v, String path) {
        w.mark(path, this, value);
        w.zeros(value);
    }

    @Override
    long bytes(Long value) {
        return value;
    }
}

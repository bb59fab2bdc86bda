package k210studio.kpu.kmodel.v3;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.ByteSink;

/** The V3 byte sink: errors name the layer ("layer 3 (ADD) in ..."). */
final class LeBuffer extends ByteSink {
    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return new KmodelFormatException(offset, context() + field, problem);
    }

    /** Zero bytes up to the absolute position {@code pos} (no-op when already there). */
    void zeroTo(long pos) {
        zeros(pos - position());
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}

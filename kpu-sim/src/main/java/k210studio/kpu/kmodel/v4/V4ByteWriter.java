package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.ByteSink;

/** The V4 byte sink: errors say "kmodel V4 node 3 (pad) field ...". */
final class V4ByteWriter extends ByteSink {
    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return V4FormatErrors.at(offset, context() + " " + field, problem);
    }

    byte[] toByteArray() {
        return toByteArray((int) position());
    }
}

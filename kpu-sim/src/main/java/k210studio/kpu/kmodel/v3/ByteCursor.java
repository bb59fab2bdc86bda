package k210studio.kpu.kmodel.v3;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.ByteWindow;

/**
 * Bounded little-endian reads from the file bytes. Every read names its field; reading past the
 * end of the file or past the current body limit raises {@link KmodelFormatException}.
 */
final class ByteCursor extends ByteWindow {
    private String context = "";

    ByteCursor(byte[] b) {
        super(b, 0, b.length);
    }

    /** Moves to {@code p}, reads stop at {@code lim}; {@code ctx} starts every field name in errors. */
    void seek(long p, long lim, String ctx) {
        window(p, lim);
        context = ctx;
    }

    @Override
    public KmodelFormatException error(long off, String field, String problem) {
        return new KmodelFormatException(off, context + field, problem);
    }

    @Override
    public void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || position() + n > limit()) {
            if (position() + n > fileLength()) {
                throw error(position(), field, "needs " + n + " bytes but the file ends at " + fileLength()
                        + " (truncated file)");
            }
            throw error(position(), field, "needs " + n + " bytes but the layer body ends at " + limit()
                    + " (body_size too small for this layer type)");
        }
    }
}

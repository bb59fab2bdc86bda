package k210studio.kpu.kmodel.v3;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.FieldReader;

/**
 * Bounded little-endian reads from the file bytes. Every read names its field; reading past the
 * end of the file or past the current body limit raises {@link KmodelFormatException}.
 */
final class ByteCursor implements FieldReader {
    private final byte[] b;
    private long pos;
    private long limit;
    private String context = "";

    ByteCursor(byte[] b) {
        this.b = b;
        this.limit = b.length;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public void seek(long p) {
        pos = p;
    }

    void seek(long p, long lim, String ctx) {
        pos = p;
        limit = Math.min(lim, b.length);
        context = ctx;
    }

    int length() {
        return b.length;
    }

    String context() {
        return context;
    }

    @Override
    public KmodelFormatException error(long off, String field, String problem) {
        return new KmodelFormatException(off, context + field, problem);
    }

    @Override
    public void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || pos + n > limit) {
            if (pos + n > b.length) {
                throw error(pos, field, "needs " + n + " bytes but the file ends at " + b.length
                        + " (truncated file)");
            }
            throw error(pos, field, "needs " + n + " bytes but the layer body ends at " + limit
                    + " (body_size too small for this layer type)");
        }
    }

    @Override
    public long u32(String field) throws KmodelFormatException {
        need(4, field);
        int p = (int) pos;
        pos += 4;
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    @Override
    public int i32(String field) throws KmodelFormatException {
        return (int) u32(field);
    }

    @Override
    public int u8(String field) throws KmodelFormatException {
        need(1, field);
        return b[(int) pos++] & 0xFF;
    }

    @Override
    public byte[] bytes(long n, String field) throws KmodelFormatException {
        need(n, field);
        byte[] r = new byte[(int) n];
        System.arraycopy(b, (int) pos, r, 0, (int) n);
        pos += n;
        return r;
    }
}

package k210studio.kpu.kmodel.v3;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * Bounded little-endian reads from the file bytes. Every read names its field; reading past the
 * end of the file or past the current body limit raises {@link KmodelFormatException}.
 */
final class ByteCursor {
    private final byte[] b;
    private long pos;
    private long limit;
    private String context = "";

    ByteCursor(byte[] b) {
        this.b = b;
        this.limit = b.length;
    }

    long position() {
        return pos;
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

    KmodelFormatException error(long off, String field, String problem) {
        return new KmodelFormatException(off, context + field, problem);
    }

    void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || pos + n > limit) {
            if (pos + n > b.length) {
                throw error(pos, field, "needs " + n + " bytes but the file ends at " + b.length
                        + " (truncated file)");
            }
            throw error(pos, field, "needs " + n + " bytes but the layer body ends at " + limit
                    + " (body_size too small for this layer type)");
        }
    }

    long u32(String field) throws KmodelFormatException {
        need(4, field);
        int p = (int) pos;
        pos += 4;
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }

    int i32(String field) throws KmodelFormatException {
        return (int) u32(field);
    }

    float f32(String field) throws KmodelFormatException {
        return Float.intBitsToFloat((int) u32(field));
    }

    long u64(String field) throws KmodelFormatException {
        long lo = u32(field);
        long hi = u32(field);
        return lo | hi << 32;
    }

    byte[] bytes(long n, String field) throws KmodelFormatException {
        need(n, field);
        byte[] r = new byte[(int) n];
        System.arraycopy(b, (int) pos, r, 0, (int) n);
        pos += n;
        return r;
    }

    float[] f32s(long n, String field) throws KmodelFormatException {
        need(n * 4, field);
        float[] r = new float[(int) n];
        for (int i = 0; i < n; i++) {
            r[i] = f32(field);
        }
        return r;
    }

    long[] u64s(long n, String field) throws KmodelFormatException {
        need(n * 8, field);
        long[] r = new long[(int) n];
        for (int i = 0; i < n; i++) {
            r[i] = u64(field);
        }
        return r;
    }
}

package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.ByteWindow;

/**
 * A bounds-checked little-endian cursor over a window {@code [pos, limit)} of the file. Every read
 * checks the window first and fails with the documented format error naming the field, the
 * absolute file offset and the context (e.g. "node 3 (pad)"). Array reads check the byte count
 * against the window before allocating, so no allocation is sized by an unchecked field.
 */
final class V4ByteReader extends ByteWindow {
    private final String context;

    V4ByteReader(byte[] data, long start, long limit, String context) {
        super(data, start, limit);
        this.context = context;
    }

    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return V4FormatErrors.at(offset, context + " " + field, problem);
    }

    @Override
    public void need(long n, String field) throws KmodelFormatException {
        if (n < 0 || n > limit() - position()) {
            throw error(position(), field, "needs " + n + " bytes but only " + Math.max(0, limit() - position())
                    + " remain (the " + (limit() >= fileLength() ? "file" : "body") + " ends at 0x"
                    + Long.toHexString(limit()) + ")");
        }
    }

    /** The bytes from the position to the end of the window (a body's alignment tail). */
    byte[] rawRest() throws KmodelFormatException {
        return bytes(remaining(), "tail");
    }
}

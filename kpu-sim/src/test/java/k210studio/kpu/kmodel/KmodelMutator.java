package k210studio.kpu.kmodel;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded mutations of kmodel bytes for the V3 and V4 fuzz tests: truncation (or growth by up to {@code slack} bytes),
 * deleted runs, and 1–8 edits — random bytes, bit flips, or an edge value written as a little-endian u32 — aimed at
 * the header, the tables and the first bytes of the bodies (where heads and registers sit) most of the time.
 *
 * @param interesting     edge values written into 32-bit fields
 * @param slack           a truncation may also grow the file by up to this many zero bytes
 * @param structuralOdds  an edit hits a structural region unless {@code nextInt(odds) == 0} (2 = a coin toss)
 * @param bodySpan        bytes from the start of a body counted as structural
 */
public record KmodelMutator(long[] interesting, int slack, int structuralOdds, int bodySpan) {

    /** @param bodies file offsets of the layer/node bodies (the first one ends the header and tables) */
    public byte[] mutate(byte[] orig, long[] bodies, Random rnd) {
        int kind = rnd.nextInt(20);
        if (kind == 0) {
            return Arrays.copyOf(orig, rnd.nextInt(orig.length + slack));
        }
        if (kind == 1) {
            int at = rnd.nextInt(orig.length);
            int n = 1 + rnd.nextInt(16);
            byte[] r = new byte[Math.max(0, orig.length - n)];
            System.arraycopy(orig, 0, r, 0, Math.min(at, r.length));
            if (at + n < orig.length) {
                System.arraycopy(orig, at + n, r, at, orig.length - at - n);
            }
            return r;
        }
        byte[] b = orig.clone();
        int edits = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 8);
        for (int e = 0; e < edits; e++) {
            int pos;
            boolean structural = structuralOdds == 2 ? rnd.nextBoolean() : rnd.nextInt(structuralOdds) != 0;
            if (structural) {
                int body = rnd.nextInt(bodies.length + 1);
                long base = body == bodies.length ? 0 : bodies[body];
                int span = body == bodies.length ? (int) bodies[0] : bodySpan;
                pos = (int) Math.min(b.length - 1, base + rnd.nextInt(Math.max(1, span)));
            } else {
                pos = rnd.nextInt(b.length);
            }
            switch (rnd.nextInt(3)) {
                case 0:
                    b[pos] = (byte) rnd.nextInt(256);
                    break;
                case 1:
                    b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    break;
                default:
                    pos &= ~3;
                    long v = interesting[rnd.nextInt(interesting.length)];
                    for (int i = 0; i < 4 && pos + i < b.length; i++) {
                        b[pos + i] = (byte) (v >>> (8 * i));
                    }
            }
        }
        return b;
    }
}

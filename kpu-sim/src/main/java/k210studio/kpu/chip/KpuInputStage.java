package k210studio.kpu.chip;

import java.util.Arrays;

/**
 * Stage 1 of the KPU pipeline: the input map read from KPU RAM (row layout of its width) into int
 * planes, 3×3 planes bordered with pad_value (kpu-arith.md §3.1), and the tap arrays of the conv on
 * its {@link KpuGrid}: each (input channel, tap) becomes a dense int array over the grid ("virtual
 * channel"), so a conv is a GEMM of weights [o][c·k²] by taps [c·k²][grid]; Σx per grid position and
 * arg_x·Σx >> shr_x are shared by all output channels. Keeps its buffers across layers.
 */
final class KpuInputStage {
    private final KpuWork work;
    int[][] planes = new int[0][];
    private int[][] taps = new int[0][];
    private int[] sumX = new int[0];
    private long[] xTerm = new long[0];

    private RowConverter converter = RowConverter::scalar;

    KpuInputStage(KpuWork work) {
        this.work = work;
    }

    /** Replaces the byte-to-int row conversion (the vector kernel installs a vectorised one). */
    void useConverter(RowConverter c) {
        this.converter = c;
    }

    /** Reads every input channel into an int plane; 3×3: (H+2)×(W+2) bordered with pad_value. */
    void loadPlanes(byte[] mem, int src, KpuRowLayout layout, int c, int h, int w, int k, int padValue) {
        int wp = k == 3 ? w + 2 : w;
        int hp = k == 3 ? h + 2 : h;
        int plane = wp * hp;
        if (planes.length < c) {
            planes = Arrays.copyOf(planes, c);
        }
        final int rowBytes = layout.rowLen() * KpuRam.LINE_BYTES;
        final int off = k == 3 ? 1 : 0;
        for (int ch = 0; ch < c; ch++) {
            if (planes[ch] == null || planes[ch].length < plane + ROW_SLACK) {
                planes[ch] = new int[plane + ROW_SLACK];
            }
        }
        final int[][] pl = planes;
        final RowConverter conv = converter;
        work.forRange(c, (long) c * plane * 4, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                int[] p = pl[ch];
                int chOrigin = src + (ch / layout.groups()) * layout.rowLen() * h * KpuRam.LINE_BYTES
                        + (ch % layout.groups()) * layout.rowPitch();
                // rows in order: a converter may overwrite past a row's end (the next row, the border, the slack)
                for (int y = 0; y < h; y++) {
                    conv.convert(mem, chOrigin + y * rowBytes, p, (y + off) * wp + off, w);
                }
                if (k == 3) {
                    // the pad_value border: top and bottom rows, then the left/right column of each row
                    Arrays.fill(p, 0, wp, padValue);
                    Arrays.fill(p, (hp - 1) * wp, hp * wp, padValue);
                    for (int y = 1; y <= h; y++) {
                        p[y * wp] = padValue;
                        p[y * wp + wp - 1] = padValue;
                    }
                }
            }
        });
    }

    /**
     * Ints past the end of each plane: room for a {@link RowConverter} that converts whole vectors (it
     * may write up to this many elements past a row; the planes are filled row by row, then bordered).
     */
    static final int ROW_SLACK = 64;

    /**
     * Unsigned bytes to ints: {@code dst[d + x] = src[s + x] & 0xFF} for x < len; may also overwrite
     * {@code dst[d + len .. d + len + ROW_SLACK)} where dst has room.
     */
    interface RowConverter {
        void convert(byte[] src, int s, int[] dst, int d, int len);

        /** The plain loop. */
        static void scalar(byte[] src, int s, int[] dst, int d, int len) {
            for (int x = 0; x < len; x++) {
                dst[d + x] = src[s + x] & 0xFF;
            }
        }
    }

    /** Tap (ky, kx) of a plane (row stride wp) on the grid into dst[0..n). */
    static void buildTap(int[] plane, int wp, int ky, int kx, KpuGrid g, int[] dst) {
        int gw = g.gw;
        if (g.s == 1) {
            for (int gy = 0; gy < g.gh; gy++) {
                System.arraycopy(plane, (gy + ky) * wp + kx, dst, gy * gw, gw);
            }
            return;
        }
        int s = g.s;
        for (int gy = 0; gy < g.gh; gy++) {
            int base = (s * gy + ky) * wp + g.sc + kx;
            int d = gy * gw;
            for (int gx = 0; gx < gw; gx++) {
                dst[d + gx] = plane[base + s * gx];
            }
        }
    }

    /** xt[i] = arg_x·Σx[i] >> shr_x (64-bit, floor). */
    static void xTerms(int[] sx, long[] xt, int n, int argX, int shrX) {
        final long ax = argX;
        for (int i = 0; i < n; i++) {
            xt[i] = (ax * sx[i]) >> shrX;
        }
    }

    private static int[][] ensureRows(int[][] rows, int count, int length) {
        int[][] r = rows.length >= count ? rows : Arrays.copyOf(rows, count);
        for (int i = 0; i < count; i++) {
            if (r[i] == null || r[i].length < length) {
                r[i] = new int[length];
            }
        }
        return r;
    }

    /**
     * The GEMM operand of a full (not depthwise) conv on grid g: the c·k² tap arrays (for a 1×1 conv on
     * the full grid the planes themselves).
     */
    int[][] tapMatrix(int c, int w, int k, KpuGrid g) {
        final int k2 = k * k;
        final int wp = k == 3 ? w + 2 : w;
        final int kTotal = c * k2;
        final int n = g.n;
        final int[][] pl = planes;
        if (k == 1 && g.s == 1) {
            return pl; // a 1x1 conv on the full grid reads the planes as they are
        }
        taps = ensureRows(taps, kTotal, n);
        final int[][] tp = taps;
        work.forRange(c, (long) kTotal * n * 4, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                for (int tap = 0; tap < k2; tap++) {
                    buildTap(pl[ch], wp, tap / k, tap % k, g, tp[ch * k2 + tap]);
                }
            }
        });
        return tp;
    }

    /** Σx[i] = Σ_k tp[k][i] for the n grid positions (shared by every output channel; overwritten by the next call). */
    int[] sumX(int[][] tp, int kTotal, int n) {
        if (sumX.length < n) {
            sumX = new int[n];
        }
        final int[] sx = sumX;
        Arrays.fill(sx, 0, n, 0);
        for (int kk = 0; kk < kTotal; kk++) {
            KpuDotProducts.addTo(sx, tp[kk], n);
        }
        return sx;
    }

    /** xt[i] = arg_x·Σ_k tp[k][i] >> shr_x for the n grid positions (one array shared by every output channel). */
    long[] xTerms(int[][] tp, int kTotal, int n, int argX, int shrX) {
        int[] sx = sumX(tp, kTotal, n);
        // arg_x·Σx >> shr_x depends on the position only: once per layer, shared by every output channel
        if (xTerm.length < n) {
            xTerm = new long[n];
        }
        xTerms(sx, xTerm, n, argX, shrX);
        return xTerm;
    }
}

package k210studio.kpu.chip;

import java.util.Arrays;

/**
 * The K210's 2 MiB KPU RAM ("AI SRAM"), addressed by the KPU in 64-byte lines (32768 lines). Feature
 * maps are uint8 planar with the row layout of {@link KpuRowLayout}. Upload / download convert
 * between dense CHW bytes and that layout, with bounds checks that name the map and the address.
 * Not thread-safe.
 */
public final class KpuRam {
    /** Bytes per KPU RAM line. */
    public static final int LINE_BYTES = 64;
    /** Number of lines (15-bit line addresses). */
    public static final int LINES = 32768;
    /** Total size: 2 MiB. */
    public static final int SIZE = LINE_BYTES * LINES;

    private final byte[] mem = new byte[SIZE];

    /**
     * The backing array (2 MiB, byte address = line × 64). Exposed for zero-copy use by runtimes; write
     * to it only through the documented layout.
     */
    public byte[] bytes() {
        return mem;
    }

    /** Zeroes the whole RAM. */
    public void clear() {
        Arrays.fill(mem, (byte) 0);
    }

    /** The byte at a byte address. */
    public int readU8(int byteAddress) throws KpuException {
        checkBytes("KPU RAM read", byteAddress, 1);
        return mem[byteAddress] & 0xFF;
    }

    /**
     * The line of a 64-byte-aligned byte address (V4 memory ranges are byte addresses).
     *
     * @throws KpuException when the address is not line-aligned or outside the 2 MiB
     */
    public static int lineOf(long byteAddress, String what) throws KpuException {
        if (byteAddress < 0 || byteAddress >= SIZE) {
            throw new KpuException(what + ": KPU RAM address 0x" + Long.toHexString(byteAddress)
                    + " is outside the 2 MiB KPU RAM (0..0x1FFFFF); fix the address in the model");
        }
        if (byteAddress % LINE_BYTES != 0) {
            throw new KpuException(what + ": KPU RAM address 0x" + Long.toHexString(byteAddress)
                    + " is not a multiple of 64 (feature maps start on a 64-byte line); fix the address in the model");
        }
        return (int) (byteAddress / LINE_BYTES);
    }

    /**
     * Checks that a map of C×H×W (× batches) starting at {@code line} lies inside KPU RAM.
     *
     * @param what a name for the map in the error message (e.g. "layer 3 input")
     */
    public static void checkMap(String what, int line, int channels, int height, int width, int batches)
            throws KpuException {
        checkShape(what, channels, height, width);
        if (batches < 1) {
            throw new KpuException(what + ": batch count " + batches + " must be at least 1");
        }
        if (line < 0 || line >= LINES) {
            throw new KpuException(what + ": KPU RAM line " + line + " is outside 0.." + (LINES - 1));
        }
        long bytes = KpuRowLayout.forWidth(width).bytes(height, channels) * batches;
        long end = (long) line * LINE_BYTES + bytes;
        if (end > SIZE) {
            throw new KpuException(what + ": a " + channels + "x" + height + "x" + width
                    + (batches > 1 ? " x" + batches + " batches" : "") + " map at line " + line + " needs " + bytes
                    + " bytes and ends at byte 0x" + Long.toHexString(end) + ", past the 2 MiB KPU RAM (0x200000);"
                    + " fix the address or the shape in the model");
        }
    }

    /**
     * Writes a dense CHW uint8 tensor into KPU RAM at {@code line} with the layout of its width
     * (SDK {@code kpu_upload_core}, beta4 {@code kpu_upload}). Bytes of the lines that the layout
     * does not use are left untouched.
     */
    public void upload(int line, byte[] src, int srcOffset, int channels, int height, int width) throws KpuException {
        upload(line, src, srcOffset, channels, height, width, 1);
    }

    /** As {@link #upload(int, byte[], int, int, int, int)} for N stacked batches (V4). */
    public void upload(int line, byte[] src, int srcOffset, int channels, int height, int width, int batches)
            throws KpuException {
        checkMap("KPU upload", line, channels, height, width, batches);
        long dense = (long) channels * height * width * batches;
        if (srcOffset < 0 || srcOffset + dense > src.length) {
            throw new KpuException("KPU upload: source needs " + dense + " bytes at offset " + srcOffset + " but has "
                    + src.length);
        }
        KpuRowLayout layout = KpuRowLayout.forWidth(width);
        int base = line * LINE_BYTES;
        if (layout.isDense()) {
            System.arraycopy(src, srcOffset, mem, base, (int) dense);
            return;
        }
        int fmap = (int) layout.bytes(height, channels);
        int s = srcOffset;
        for (int n = 0; n < batches; n++) {
            int b = base + n * fmap;
            for (int c = 0; c < channels; c++) {
                int co = b + (int) layout.offset(c, 0, 0, height);
                for (int y = 0; y < height; y++) {
                    System.arraycopy(src, s, mem, co + y * layout.rowLen() * LINE_BYTES, width);
                    s += width;
                }
            }
        }
    }

    /** Reads a C×H×W map at {@code line} into dense CHW bytes at {@code dstOffset}. */
    public void download(int line, int channels, int height, int width, byte[] dst, int dstOffset) throws KpuException {
        download(line, channels, height, width, 1, dst, dstOffset);
    }

    /** As {@link #download(int, int, int, int, byte[], int)} for N stacked batches (V4). */
    public void download(int line, int channels, int height, int width, int batches, byte[] dst, int dstOffset)
            throws KpuException {
        checkMap("KPU download", line, channels, height, width, batches);
        long dense = (long) channels * height * width * batches;
        if (dstOffset < 0 || dstOffset + dense > dst.length) {
            throw new KpuException("KPU download: destination needs " + dense + " bytes at offset " + dstOffset
                    + " but has " + dst.length);
        }
        KpuRowLayout layout = KpuRowLayout.forWidth(width);
        int base = line * LINE_BYTES;
        if (layout.isDense()) {
            System.arraycopy(mem, base, dst, dstOffset, (int) dense);
            return;
        }
        int fmap = (int) layout.bytes(height, channels);
        int d = dstOffset;
        for (int n = 0; n < batches; n++) {
            int b = base + n * fmap;
            for (int c = 0; c < channels; c++) {
                int co = b + (int) layout.offset(c, 0, 0, height);
                for (int y = 0; y < height; y++) {
                    System.arraycopy(mem, co + y * layout.rowLen() * LINE_BYTES, dst, d, width);
                    d += width;
                }
            }
        }
    }

    /** Reads a C×H×W map at {@code line} as a new dense CHW array. */
    public byte[] download(int line, int channels, int height, int width) throws KpuException {
        checkShape("KPU download", channels, height, width);
        byte[] out = new byte[channels * height * width];
        download(line, channels, height, width, out, 0);
        return out;
    }

    /** Copies raw bytes into KPU RAM at a byte address (no layout change). */
    public void writeBytes(int byteAddress, byte[] src, int srcOffset, int length) throws KpuException {
        checkBytes("KPU RAM write", byteAddress, length);
        if (srcOffset < 0 || length < 0 || srcOffset + (long) length > src.length) {
            throw new KpuException("KPU RAM write: source has no " + length + " bytes at offset " + srcOffset);
        }
        System.arraycopy(src, srcOffset, mem, byteAddress, length);
    }

    /** Copies raw bytes out of KPU RAM at a byte address (no layout change). */
    public void readBytes(int byteAddress, byte[] dst, int dstOffset, int length) throws KpuException {
        checkBytes("KPU RAM read", byteAddress, length);
        if (dstOffset < 0 || length < 0 || dstOffset + (long) length > dst.length) {
            throw new KpuException("KPU RAM read: destination has no room for " + length + " bytes at offset " + dstOffset);
        }
        System.arraycopy(mem, byteAddress, dst, dstOffset, length);
    }

    private static void checkBytes(String what, long byteAddress, long length) throws KpuException {
        if (byteAddress < 0 || length < 0 || byteAddress + length > SIZE) {
            throw new KpuException(what + ": bytes 0x" + Long.toHexString(byteAddress) + "..+" + length
                    + " are outside the 2 MiB KPU RAM");
        }
    }

    static void checkShape(String what, int channels, int height, int width) throws KpuException {
        if (channels < 1 || height < 1 || width < 1 || channels > 4096 || height > 4096 || width > 4096) {
            throw new KpuException(what + ": shape " + channels + "x" + height + "x" + width
                    + " (CxHxW) is not a valid KPU feature map (each side 1..4096; the registers allow C <= 1024,"
                    + " H <= 512, W <= 1024)");
        }
    }
}

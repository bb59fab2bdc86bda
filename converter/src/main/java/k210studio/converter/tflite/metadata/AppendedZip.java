package k210studio.converter.tflite.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * The ZIP archive TFLite Support appends to a model to carry its associated files (labels, vocabularies). It is
 * read from the end: the end-of-central-directory record, then the central directory; offsets in the archive may
 * count from the start of the archive or of the whole file, so the shift between the stored and the actual
 * directory position is applied to every entry. Stored and deflated entries are read; others are refused.
 */
public final class AppendedZip {
    private static final int EOCD = 0x06054b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    /** Associated files are small (labels, vocabularies); a bigger entry is refused rather than inflated. */
    public static final int MAX_ENTRY_BYTES = 64 << 20;

    private AppendedZip() {
    }

    /** True when the file ends with a ZIP end-of-central-directory record. */
    public static boolean present(ByteBuffer file) {
        return eocd(file.duplicate().order(ByteOrder.LITTLE_ENDIAN)) >= 0;
    }

    /** Every entry of the appended archive by name; empty when there is none. */
    public static Map<String, byte[]> entries(ByteBuffer file) throws TfliteFormatException {
        ByteBuffer bb = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Map<String, byte[]> out = new LinkedHashMap<>();
        int end = eocd(bb);
        if (end < 0) {
            return out;
        }
        int count = Short.toUnsignedInt(bb.getShort(end + 10));
        long cdSize = Integer.toUnsignedLong(bb.getInt(end + 12));
        long cdOffset = Integer.toUnsignedLong(bb.getInt(end + 16));
        long cdStart = end - cdSize;
        if (cdStart < 0) {
            throw bad("its central directory of " + cdSize + " bytes does not fit before the end record");
        }
        long shift = cdStart - cdOffset;
        int p = (int) cdStart;
        for (int i = 0; i < count; i++) {
            need(bb, p, 46, "central directory entry " + i);
            if (bb.getInt(p) != CENTRAL) {
                throw bad("central directory entry " + i + " has no signature");
            }
            int method = Short.toUnsignedInt(bb.getShort(p + 10));
            long compressed = Integer.toUnsignedLong(bb.getInt(p + 20));
            long size = Integer.toUnsignedLong(bb.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(bb.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(bb.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(bb.getShort(p + 32));
            long local = Integer.toUnsignedLong(bb.getInt(p + 42)) + shift;
            need(bb, p + 46, nameLen, "the name of entry " + i);
            String name = text(bb, p + 46, nameLen);
            p += 46 + nameLen + extraLen + commentLen;
            if (name.endsWith("/")) {
                continue;
            }
            out.put(name, read(bb, local, method, compressed, size, name));
        }
        return out;
    }

    private static byte[] read(ByteBuffer bb, long local, int method, long compressed, long size, String name) throws TfliteFormatException {
        if (size > MAX_ENTRY_BYTES || compressed > MAX_ENTRY_BYTES) {
            throw bad("the entry '" + name + "' has " + size + " bytes, more than an associated file may have");
        }
        need(bb, local, 30, "the local header of '" + name + "'");
        if (bb.getInt((int) local) != LOCAL) {
            throw bad("the entry '" + name + "' has no local header at offset " + local);
        }
        long data = local + 30 + Short.toUnsignedInt(bb.getShort((int) local + 26)) + Short.toUnsignedInt(bb.getShort((int) local + 28));
        need(bb, data, compressed, "the data of '" + name + "'");
        byte[] raw = new byte[(int) compressed];
        bb.duplicate().position((int) data).get(raw);
        if (method == 0) {
            return raw;
        }
        if (method != 8) {
            throw bad("the entry '" + name + "' uses compression method " + method + " (only stored and deflated are read)");
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(raw);
            byte[] out = new byte[(int) size];
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n != out.length) {
                throw bad("the entry '" + name + "' inflates to " + n + " bytes instead of " + size);
            }
            return out;
        } catch (DataFormatException e) {
            throw bad("the entry '" + name + "' is not valid deflate data: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    /** Position of the end-of-central-directory record (searched back over the longest comment), or −1. */
    private static int eocd(ByteBuffer bb) {
        int last = bb.limit() - 22;
        int first = Math.max(0, last - 0xFFFF);
        for (int p = last; p >= first; p--) {
            if (bb.getInt(p) == EOCD && p + 22 + Short.toUnsignedInt(bb.getShort(p + 20)) == bb.limit()) {
                return p;
            }
        }
        return -1;
    }

    private static void need(ByteBuffer bb, long pos, long len, String what) throws TfliteFormatException {
        if (pos < 0 || pos + len > bb.limit()) {
            throw bad(what + " lies outside the file");
        }
    }

    private static String text(ByteBuffer bb, int pos, int len) {
        byte[] b = new byte[len];
        bb.duplicate().position(pos).get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static TfliteFormatException bad(String detail) {
        return new TfliteFormatException("the ZIP archive of associated files at the end of the model is damaged: " + detail);
    }
}

package k210studio.kpu.kmodel.v3;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * Parses kmodel V3 bytes into an immutable {@link V3Model} (kmodel-v3.md §2–§5).
 *
 * <p>Checks: version 3, arch 0, the output table and layer headers inside the file, every layer
 * code known and with a body layout, every body at least as large as its type needs and inside
 * the file, K210_CONV sub-blocks inside their body and sized from the registers (kernel_type 0 or
 * 1, depthwise needs C_in = C_out), no bytes after the declared end. The last body may lack 0..7
 * trailing padding bytes (nncase rc5 never writes them); its content must be complete. Every size
 * is checked against the file length before anything is allocated. Any violation is a
 * {@link KmodelFormatException} naming the offset and the field.
 */
public final class V3Reader {
    /** Size of the fixed header. */
    public static final int HEADER_BYTES = 28;

    private V3Reader() {
    }

    public static V3Model read(byte[] bytes) throws KmodelFormatException {
        ByteCursor c = new ByteCursor(bytes);
        int len = bytes.length;
        if (len == 0) {
            throw new KmodelFormatException(0, "header", "the file is empty; a kmodel V3 starts with a 28-byte header");
        }
        if (len < HEADER_BYTES) {
            throw new KmodelFormatException(0, "header", "the file has " + len
                    + " bytes, fewer than the 28-byte kmodel V3 header (truncated file)");
        }
        c.seek(0, len, "header ");
        long version = c.u32("version");
        if (version != 3) {
            throw new KmodelFormatException(0, "header version", "is " + version + " (0x" + Long.toHexString(version)
                    + "), not 3; this reader only takes kmodel V3 (use KmodelFiles.read for V4 files)");
        }
        long flags = c.u32("flags");
        long arch = c.u32("arch");
        if (arch != 0) {
            throw new KmodelFormatException(8, "header arch", "is " + arch + "; kmodel V3 requires 0 (K210)");
        }
        long layerCount = c.u32("layers_length");
        long maxStart = c.u32("max_start_address");
        long mainMem = c.u32("main_mem_usage");
        long outputCount = c.u32("output_count");
        if (layerCount == 0) {
            throw new KmodelFormatException(12, "header layers_length", "is 0; a model needs at least one layer");
        }
        long tablesEnd = HEADER_BYTES + 8 * outputCount + 8 * layerCount;
        if (tablesEnd > len) {
            throw new KmodelFormatException(12, "header layers_length/output_count", "declare " + outputCount
                    + " outputs and " + layerCount + " layers whose tables end at " + tablesEnd
                    + ", past the end of the file (" + len + " bytes)");
        }
        List<V3Output> outputs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            c.seek(HEADER_BYTES + 8L * i, len, "output[" + i + "] ");
            outputs.add(new V3Output(c.u32("address"), c.u32("size")));
        }
        long headers = HEADER_BYTES + 8 * outputCount;
        boolean eightBit = (flags & 1) != 0;
        List<V3Layer> layers = new ArrayList<>();
        long pos = tablesEnd;
        for (int i = 0; i < layerCount; i++) {
            long h = headers + 8L * i;
            c.seek(h, len, "layer " + i + " header ");
            long code = c.u32("type");
            long bodySize = c.u32("body_size");
            V3LayerType type = V3LayerType.ofCode(code);
            if (type == null) {
                throw new KmodelFormatException(h, "layer " + i + " type", "unknown layer type code " + code
                        + " (known: 1..25 and 10240..10243)");
            }
            if (!type.hasBody()) {
                throw new KmodelFormatException(h, "layer " + i + " type", "layer type " + type + " (code " + code
                        + ") has no body layout and is not executed by the K210 SDK runtime");
            }
            boolean last = i == layerCount - 1;
            long end = pos + bodySize;
            if (end > len && !(last && end - len <= 7)) {
                throw new KmodelFormatException(h + 4, "layer " + i + " (" + type + ") body_size",
                        "body at " + pos + " of " + bodySize + " bytes ends at " + end + ", past the end of the file ("
                                + len + " bytes)" + (last ? " by more than the 7 padding bytes a writer may omit" : "")
                                + "; the file is truncated or body_size is corrupt");
            }
            c.seek(pos, end, "layer " + i + " (" + type + ") ");
            V3LayerBody body = V3BodyLayouts.read(type, c, eightBit);
            layers.add(new V3Layer(body, bodySize));
            pos = end;
        }
        if (len > pos) {
            throw new KmodelFormatException(pos, "file end", (len - pos) + " bytes follow the last layer body, which"
                    + " ends at " + pos + "; the file is corrupt or a body_size is wrong");
        }
        int missing = (int) (pos - len);
        return new V3Model(flags, maxStart, mainMem, outputs, layers, missing);
    }
}

package k210studio.kpu.kmodel.v4;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.V4Opcode;

/**
 * Reads kmodel V4 bytes into a {@link V4Model} (kmodel-v4.md §3): header, input ranges and shapes,
 * output ranges, constants, node headers and one typed body per node. Every read is bounds-checked
 * and every error is a {@link KmodelFormatException} naming the offset and the field. The final
 * body's alignment padding may be missing (ncc only seeks past it, §3.7).
 */
public final class V4Reader {
    /**
     * Largest main memory a model may ask for: the K210 has 8 MiB of SRAM in all (6 MiB general +
     * 2 MiB KPU), so a larger {@code main_mem} cannot run on the chip and is refused before allocating.
     */
    public static final long MAX_MAIN_MEM = 8L * 1024 * 1024;

    private final boolean allowTrailingBytes;

    private V4Reader(boolean allowTrailingBytes) {
        this.allowTrailingBytes = allowTrailingBytes;
    }

    /** Reads a whole file; bytes after the last body are an error. */
    public static V4Model read(byte[] data) throws KmodelFormatException {
        return new V4Reader(false).parse(data);
    }

    /** Reads a model at the start of a larger image (e.g. a flash dump); later bytes are ignored. */
    public static V4Model readPrefix(byte[] data) throws KmodelFormatException {
        return new V4Reader(true).parse(data);
    }

    /** True when the bytes start with the V4 identifier "LDMK" and version 4. */
    public static boolean looksLikeV4(byte[] data) {
        return data != null && data.length >= 8 && data[0] == 'L' && data[1] == 'D' && data[2] == 'M'
                && data[3] == 'K' && data[4] == 4 && data[5] == 0 && data[6] == 0 && data[7] == 0;
    }

    private V4Model parse(byte[] data) throws KmodelFormatException {
        if (data == null) {
            throw V4FormatErrors.general("no bytes");
        }
        V4ByteReader r = new V4ByteReader(data, 0, data.length, "header");
        if (data.length < V4Header.BYTES) {
            throw V4FormatErrors.at(0, "header", "the file has " + data.length
                    + " bytes; a V4 kmodel starts with a 40-byte header");
        }
        long ident = r.u32("identifier");
        if (ident != (V4Header.IDENTIFIER & 0xFFFF_FFFFL)) {
            throw V4FormatErrors.at(0, "header identifier", String.format(
                    "is 0x%08X, expected \"LDMK\" (0x4B4D444C); this is not an nncase v0.2 kmodel", ident));
        }
        long version = r.u32("version");
        if (version != V4Header.VERSION) {
            throw V4FormatErrors.at(4, "header version", "is " + version + "; only version 4 uses this layout");
        }
        long flags = r.u32("flags");
        long target = r.u32("target");
        if (target != V4Header.TARGET_CPU && target != V4Header.TARGET_K210) {
            throw V4FormatErrors.at(12, "header target", "is " + target + "; the loader accepts 0 (CPU) or 1 (K210)");
        }
        long constants = r.u32("constants");
        long mainMem = r.u32("main_mem");
        long nodes = r.u32("nodes");
        long inputs = r.u32("inputs");
        long outputs = r.u32("outputs");
        long reserved0 = r.u32("reserved0");
        if (mainMem > MAX_MAIN_MEM) {
            throw V4FormatErrors.at(0x14, "header main_mem", "asks for " + mainMem
                    + " bytes of working memory, more than the K210's 8 MiB of SRAM");
        }
        long tables = 32 * inputs + 16 * outputs + constants + 8 * nodes;
        if (V4Header.BYTES + tables > data.length) {
            throw V4FormatErrors.at(0x10, "header counts", "inputs=" + inputs + ", outputs=" + outputs
                    + ", constants=" + constants + ", nodes=" + nodes + " need " + (V4Header.BYTES + tables)
                    + " bytes of tables but the file has " + data.length);
        }
        V4Header header = new V4Header(flags, target, constants, mainMem, nodes, inputs, outputs, reserved0);

        r = new V4ByteReader(data, V4Header.BYTES, data.length, "");
        List<MemoryRange> inRanges = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            inRanges.add(V4Fields.MEMORY_RANGE.read(r, "input range " + i));
        }
        List<Shape4> inShapes = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            inShapes.add(V4Fields.SHAPE.read(r, "input shape " + i));
        }
        List<MemoryRange> outRanges = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outRanges.add(V4Fields.MEMORY_RANGE.read(r, "output range " + i));
        }
        byte[] constBlob = r.bytes(constants, "constants");
        long[] opcodes = new long[(int) nodes];
        long[] sizes = new long[(int) nodes];
        for (int i = 0; i < nodes; i++) {
            opcodes[i] = r.u32("node header " + i + " opcode");
            sizes[i] = r.u32("node header " + i + " body_size");
        }
        long headersEnd = r.position();
        long pos = headersEnd;
        List<V4Node> nodeList = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            V4Opcode op = V4Opcode.ofCode(opcodes[i]);
            long headerAt = headersEnd - 8L * (nodes - i);
            if (op == null) {
                throw V4FormatErrors.at(headerAt, "node " + i + " opcode", String.format(
                        "0x%04X is not a V4 runtime opcode (the runtime stops with \"Unknown opcode\"); known are "
                        + "0x00-0x14, 0x1001-0x1005, 0x2001, 0x2002", opcodes[i]));
            }
            long end = pos + sizes[i];
            boolean last = i == nodes - 1;
            if (end > data.length) {
                long missing = end - data.length;
                if (!last || missing > 7) {
                    throw V4FormatErrors.at(headerAt + 4, "node " + i + " (" + op.spelling() + ") body_size",
                            "body at 0x" + Long.toHexString(pos) + " of " + sizes[i] + " bytes runs " + missing
                            + " bytes past the end of the file (only the last body's alignment padding, at most"
                            + " 7 bytes, may be missing)");
                }
            }
            long spanEnd = Math.min(end, data.length);
            V4ByteReader br = new V4ByteReader(data, pos, spanEnd, "node " + i + " (" + op.spelling() + ")");
            V4Body body = V4BodyLayouts.read(op, br);
            byte[] tail = br.rawRest();
            nodeList.add(new V4Node(body, sizes[i], tail));
            pos = end;
        }
        long consumed = Math.min(pos, data.length);
        if (!allowTrailingBytes && consumed < data.length) {
            throw V4FormatErrors.at(consumed, "end of model", (data.length - consumed)
                    + " bytes follow the last body; a V4 file ends with its last body");
        }
        V4Model model = new V4Model(header, inRanges, inShapes, outRanges, constBlob, nodeList);
        V4RangeCheck.check(model);
        return model;
    }
}

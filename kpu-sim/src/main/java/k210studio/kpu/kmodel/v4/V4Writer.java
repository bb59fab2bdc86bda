package k210studio.kpu.kmodel.v4;

import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;

/**
 * Writes a {@link V4Model} as kmodel V4 bytes (kmodel-v4.md §3, writer checklist §15). Nodes that
 * came from a file keep their stored body size and trailing bytes, so read -> write is byte
 * identical (including a missing final pad). Nodes built with {@link V4Node#of} are laid out like
 * ncc beta4: kpu_conv2d tables aligned to 256 absolute file bytes, every body padded with zeros to
 * a multiple of 8, and the last body's padding counted but not written.
 */
public final class V4Writer {
    /** Table alignment ncc beta1..beta4 uses inside kpu_conv2d bodies. */
    public static final int KPU_TABLE_ALIGNMENT = 256;

    private V4Writer() {
    }

    public static byte[] write(V4Model model) {
        V4ByteWriter w = new V4ByteWriter();
        V4Header h = model.header();
        List<V4Node> nodes = model.nodes();
        w.i32(V4Header.IDENTIFIER);
        w.i32(V4Header.VERSION);
        w.u32(h.flags());
        w.u32(h.target());
        w.u32(model.constantsUnsafe().length);
        w.u32(h.mainMemSize());
        w.u32(nodes.size());
        w.u32(model.inputs().size());
        w.u32(model.outputs().size());
        w.u32(h.reserved0());
        for (MemoryRange r : model.inputs()) {
            V4Fields.MEMORY_RANGE.write(r, w, Map.of());
        }
        for (Shape4 s : model.inputShapes()) {
            V4Fields.SHAPE.write(s, w, Map.of());
        }
        for (MemoryRange r : model.outputs()) {
            V4Fields.MEMORY_RANGE.write(r, w, Map.of());
        }
        w.bytes(model.constantsUnsafe());
        int headers = (int) w.position();
        w.zeros(8L * nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            V4Node n = nodes.get(i);
            int start = (int) w.position();
            V4Body body = n.body();
            w.context("node " + i + " (" + body.opcode().spelling() + ")");
            long bodySize;
            if (n.tailUnsafe() != null) {
                V4BodyLayouts.write(body, w);
                w.bytes(n.tailUnsafe());
                bodySize = n.bodySize();
            } else {
                if (body instanceof KpuConv2dBody k) {
                    body = k.withAlignedGaps(start, KPU_TABLE_ALIGNMENT);
                }
                V4BodyLayouts.write(body, w);
                int len = (int) w.position() - start;
                int pad = (int) ((8 - (w.position() % 8)) % 8);
                bodySize = (long) len + pad;
                if (i < nodes.size() - 1) {
                    w.zeros(pad);
                }
            }
            w.patchU32(headers + 8 * i, body.opcode().code());
            w.patchU32(headers + 8 * i + 4, bodySize);
        }
        return w.toByteArray();
    }
}

package k210studio.kpu.kmodel.v4;

import java.util.Arrays;
import java.util.List;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Shape4;

/**
 * An immutable kmodel V4 (kmodel-v4.md §3): header, input ranges with their NCHW shapes, output
 * ranges (V4 stores no output shapes), the constants blob and the nodes in execution order.
 */
public record V4Model(V4Header header, List<MemoryRange> inputs, List<Shape4> inputShapes,
        List<MemoryRange> outputs, byte[] constants, List<V4Node> nodes) {

    /** KPU RAM size: every k210_kpu range must fit in it. */
    public static final long KPU_RAM_BYTES = 2L * 1024 * 1024;

    public V4Model {
        inputs = List.copyOf(inputs);
        inputShapes = List.copyOf(inputShapes);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        constants = constants.clone();
        if (inputs.size() != inputShapes.size()) {
            throw new IllegalArgumentException("one input shape per input range");
        }
    }

    @Override
    public byte[] constants() {
        return constants.clone();
    }

    /** Read-only view for the runtime (no copy). */
    byte[] constantsUnsafe() {
        return constants;
    }

    /** A read-only copy of the constants blob as a little-endian buffer. */
    public java.nio.ByteBuffer constantsBuffer() {
        return java.nio.ByteBuffer.wrap(constants).asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** File offset of the first node header (right after header, tables and constants). */
    public long nodeHeadersOffset() {
        return V4Header.BYTES + 32L * inputs.size() + 16L * outputs.size() + constants.length;
    }

    /**
     * File offset of every body, from the stored body sizes (for a model built from new nodes the
     * sizes are only known once written: read the written bytes back first).
     */
    public long[] bodyOffsets() {
        long pos = nodeHeadersOffset() + 8L * nodes.size();
        long[] offs = new long[nodes.size()];
        for (int i = 0; i < offs.length; i++) {
            offs[i] = pos;
            pos += Math.max(0, nodes.get(i).bodySize());
        }
        return offs;
    }

    /**
     * Checks that every memory range lies inside its pool (const: the constants blob, main:
     * main_mem, kpu: 2 MiB). The reader does this for every file; call it for a model built in memory
     * before running it (the runtime does).
     */
    public void checkRanges() throws k210studio.kpu.kmodel.KmodelFormatException {
        V4RangeCheck.check(this);
    }

    public long mainMemSize() {
        return header.mainMemSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof V4Model m && header.equals(m.header) && inputs.equals(m.inputs)
                && inputShapes.equals(m.inputShapes) && outputs.equals(m.outputs)
                && Arrays.equals(constants, m.constants) && nodes.equals(m.nodes);
    }

    @Override
    public int hashCode() {
        return header.hashCode() ^ nodes.hashCode();
    }

    @Override
    public String toString() {
        return "V4Model(" + nodes.size() + " nodes, " + inputs.size() + " inputs, " + outputs.size() + " outputs)";
    }
}

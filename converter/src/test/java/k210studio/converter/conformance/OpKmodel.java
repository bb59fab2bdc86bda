package k210studio.converter.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.v4.V4Header;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.V4Writer;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;

/**
 * A small hand-made V4 kmodel for op-level conformance: one input in main memory at 0, further main-memory tensors
 * allocated after it, constants, and a few nodes. Written with kpu-sim's own V4 writer, so the file is what both
 * runtimes read.
 */
final class OpKmodel {
    private final MemoryRange input;
    private final Shape4 inputShape;
    private final ByteArrayOutputStream constants = new ByteArrayOutputStream();
    private final List<V4Node> nodes = new ArrayList<>();
    private final List<MemoryRange> outputs = new ArrayList<>();
    private long mainEnd;

    OpKmodel(DataType type, Shape4 shape) {
        this.inputShape = shape;
        this.input = new MemoryRange(MemoryType.MAIN, type, 0, (long) shape.product() * type.bytes());
        this.mainEnd = align(input.size());
    }

    MemoryRange input() {
        return input;
    }

    /** A new main-memory tensor of {@code elements} values. */
    MemoryRange main(DataType type, long elements) {
        MemoryRange r = new MemoryRange(MemoryType.MAIN, type, mainEnd, elements * type.bytes());
        mainEnd = align(mainEnd + r.size());
        return r;
    }

    MemoryRange constant(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return constantBytes(DataType.FLOAT32, b.array());
    }

    MemoryRange constantBytes(DataType type, byte[] bytes) {
        int start = constants.size();
        constants.writeBytes(bytes);
        while (constants.size() % 8 != 0) {
            constants.write(0);
        }
        return new MemoryRange(MemoryType.CONST, type, start, bytes.length);
    }

    OpKmodel node(V4Body body) {
        nodes.add(V4Node.of(body));
        return this;
    }

    OpKmodel output(MemoryRange r) {
        outputs.add(r);
        return this;
    }

    byte[] bytes() {
        byte[] consts = constants.toByteArray();
        V4Header h = new V4Header(0, V4Header.TARGET_K210, consts.length, mainEnd, nodes.size(), 1, outputs.size(), 0);
        return V4Writer.write(new V4Model(h, List.of(input), List.of(inputShape), outputs, consts, nodes));
    }

    private static long align(long n) {
        return (n + 7) / 8 * 8;
    }
}

package k210studio.kpu.kmodel.v4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;

/**
 * Builds small hand-made V4 models around one or a few bodies, writes them with {@link V4Writer},
 * reads the bytes back with {@link V4Reader} (so every hand-made body also goes through the codec)
 * and runs them.
 */
final class TinyModels {
    private TinyModels() {
    }

    static MemoryRange mainF(long start, long floats) {
        return new MemoryRange(MemoryType.MAIN, DataType.FLOAT32, start, floats * 4);
    }

    static MemoryRange mainU8(long start, long bytes) {
        return new MemoryRange(MemoryType.MAIN, DataType.UINT8, start, bytes);
    }

    static MemoryRange constU8(long start, long bytes) {
        return new MemoryRange(MemoryType.CONST, DataType.UINT8, start, bytes);
    }

    static MemoryRange constF(long start, long floats) {
        return new MemoryRange(MemoryType.CONST, DataType.FLOAT32, start, floats * 4);
    }

    static byte[] floatBytes(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static final class Builder {
        private int mainMem = 4096;
        private byte[] constants = new byte[0];
        private final List<MemoryRange> inputs = new ArrayList<>();
        private final List<Shape4> shapes = new ArrayList<>();
        private final List<MemoryRange> outputs = new ArrayList<>();
        private final List<V4Node> nodes = new ArrayList<>();
        private final List<KmodelTensor> feeds = new ArrayList<>();

        Builder mainMem(int bytes) {
            mainMem = bytes;
            return this;
        }

        Builder constants(byte[] c) {
            constants = c.clone();
            return this;
        }

        Builder input(MemoryRange r, Shape4 s, KmodelTensor feed) {
            inputs.add(r);
            shapes.add(s);
            feeds.add(feed);
            return this;
        }

        Builder floatInput(MemoryRange r, float... values) {
            return input(r, Shape4.of(1, 1, 1, values.length), KmodelTensor.ofFloats(new int[] {values.length}, values));
        }

        Builder u8Input(MemoryRange r, byte... values) {
            return input(r, Shape4.of(1, 1, 1, values.length), KmodelTensor.ofUint8(new int[] {values.length}, values));
        }

        Builder output(MemoryRange r) {
            outputs.add(r);
            return this;
        }

        Builder node(V4Body b) {
            nodes.add(V4Node.of(b));
            return this;
        }

        V4Model model() {
            V4Header h = new V4Header(0, 1, constants.length, mainMem, nodes.size(), inputs.size(), outputs.size(), 0);
            return new V4Model(h, inputs, shapes, outputs, constants, nodes);
        }

        /** Writes, re-reads (codec round trip) and runs the model. */
        RunResult run() throws KmodelFormatException {
            byte[] bytes = V4Writer.write(model());
            V4Model back = V4Reader.read(bytes);
            if (!java.util.Arrays.equals(V4Writer.write(back), bytes)) {
                throw new AssertionError("re-written bytes differ");
            }
            return new V4Kmodel(back).run(feeds, RunOptions.defaults());
        }

        float[] runFloats() throws KmodelFormatException {
            return run().output(0).toFloatArray();
        }

        int[] runBytes() throws KmodelFormatException {
            byte[] b = run().output(0).bytes();
            int[] out = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = b[i] & 0xFF;
            }
            return out;
        }
    }

    static Builder builder() {
        return new Builder();
    }
}

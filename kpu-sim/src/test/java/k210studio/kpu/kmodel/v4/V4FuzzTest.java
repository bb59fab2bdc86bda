package k210studio.kpu.kmodel.v4;

import static k210studio.kpu.kmodel.v4.TinyModels.constF;
import static k210studio.kpu.kmodel.v4.TinyModels.constU8;
import static k210studio.kpu.kmodel.v4.TinyModels.mainF;
import static k210studio.kpu.kmodel.v4.TinyModels.mainU8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelFuzz;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.kmodel.layout.FieldMutator;
import k210studio.kpu.kmodel.layout.FieldSpan;
import k210studio.kpu.kmodel.layout.RecordLayout;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.QuantizedBinaryBody;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TableLookup1dBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.ValueRange;
import org.junit.jupiter.api.Test;

/**
 * Bad V4 bytes give only {@link KmodelFormatException}: never another exception, an allocation sized
 * by an unchecked field, or a hang (runs carry a work budget). Seeded mutations of every real V4 file
 * and of an "op zoo" model holding one node of every opcode, each mutated model read and run.
 */
class V4FuzzTest {
    static final Padding P0 = new Padding(0, 0);

    /** One node of every opcode on small tensors (main memory 0..1023, constants: table + floats). */
    static V4Model opZoo() {
        byte[] consts = new byte[256 + 64];
        for (int i = 0; i < 256; i++) {
            consts[i] = (byte) (255 - i);
        }
        MemoryRange f16 = mainF(0, 16);
        MemoryRange u16 = mainU8(64, 16);
        List<V4Body> b = new ArrayList<>();
        b.add(new BinaryBody(f16, constF(256, 4), mainF(128, 16), BinaryOp.MUL, Shape4.of(1, 1, 4, 4),
                Shape4.of(1, 1, 1, 4), Shape4.of(1, 1, 4, 4), ValueRange.NONE));
        b.add(new ConcatBody(mainF(192, 16), 8, 2, List.of(mainF(0, 8), mainF(32, 8)), List.of(2, 2)));
        b.add(new Conv2dBody(f16, mainF(320, 9), Shape4.of(1, 1, 4, 4), 1, 1, new Padding(1, 0), P0, 2, 2, 1, 1, 2, 2,
                ValueRange.NONE, Floats.of(1, 2, 3, 4), Floats.of(1)));
        b.add(new DequantizeBody(u16, mainF(360, 16), new QuantParam(3, 2f)));
        b.add(new MatmulBody(mainF(0, 8), mainF(32, 8), mainF(440, 4), 2, 4, 2, ValueRange.NONE, Floats.of(1, 2)));
        b.add(new PadBody(u16, mainU8(460, 36), Shape4.of(1, 1, 4, 4), List.of(P0, P0, new Padding(1, 1),
                new Padding(-1, 3)), new Scalar(1, 0)));
        b.add(new QuantizeBody(f16, mainU8(500, 16), new QuantParam(4, 8f)));
        b.add(new ReduceBody(f16, mainF(520, 4), ReduceOp.MEAN, Shape4.of(1, 1, 4, 4), Shape4.of(1, 1, 4, 1), 0));
        b.add(new ReduceWindow2dBody(f16, mainF(540, 9), ReduceOp.MAX, Shape4.of(1, 1, 4, 4), P0, P0, 2, 2, 1, 1, 1, 1,
                -Float.MAX_VALUE, ValueRange.NONE));
        b.add(new MemoryCopyBody(f16, mainF(580, 16)));
        b.add(new ResizeImageBody(u16, mainU8(644, 36), Shape4.of(1, 1, 4, 4), 6, 6, ResizeMode.BILINEAR, true, 0));
        b.add(new SoftmaxBody(f16, mainF(680, 16), 4, 4, 1f));
        b.add(new TransposeBody(f16, mainF(744, 16), Shape4.of(1, 1, 4, 4), Shape4.of(0, 1, 3, 2)));
        b.add(new StridedSliceBody(u16, mainU8(808, 4), Shape4.of(1, 1, 4, 4), Shape4.of(0, 0, 3, 0),
                Shape4.of(1, 1, -1, 4), Shape4.of(1, 1, -2, 2), 0, 0, 0, 0, 0));
        b.add(new UnaryBody(f16, mainF(812, 16), UnaryOp.EXP));
        b.add(new QuantizedConv2dBody(u16, mainU8(876, 16), Shape4.of(1, 1, 4, 4), 1, 1, new Padding(1, 1),
                new Padding(1, 1), 3, 3, 1, 1, 1, 1, -3, -128, 1 << 30, 36, 7, Ints.of(100),
                Bytes.of((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8, (byte) 9)));
        b.add(new QuantizedMatmulBody(mainU8(64, 8), mainU8(72, 8), mainU8(892, 4), 2, 4, 2, 1, -2, 3, 2, 1,
                Ints.of(5, 6)));
        b.add(new QuantizedBinaryBody(u16, mainU8(64, 4), mainU8(896, 16), BinaryOp.MAX, Shape4.of(1, 1, 4, 4),
                Shape4.of(1, 1, 1, 4), Shape4.of(1, 1, 4, 4), -3, 5, 2, 0, 3, 1, 9, 7, 3));
        b.add(new TableLookup1dBody(u16, constU8(0, 256), mainU8(912, 16)));
        b.add(new Conv2dTransposeBody(mainF(0, 4), mainF(928, 9), Shape4.of(1, 1, 2, 2), Shape4.of(1, 1, 3, 3), 1, P0,
                P0, 2, 2, 1, 1, 1, 1, new ValueRange(-1, 1), Floats.of(1, -1, 2, 0.5f), Floats.of(3)));
        b.add(new NnilUnaryMethodBody(f16, mainF(0, 16), Bytes.of((byte) 0x03, (byte) 0x01, (byte) 0x42, (byte) 0x05,
                (byte) 0x40, (byte) 0xA0, (byte) 0, (byte) 0)));
        b.add(new CpuConv2dBody(f16, mainF(128, 8), Shape4.of(1, 2, 2, 4), 2, P0, P0, 1, 1, 1, 1, 1, 1, ValueRange.NONE,
                Floats.of(1, 2, 3, 4, 5, 6, 7, 8), Floats.of(0, 1)));
        b.add(new CpuDepthwiseConv2dBody(f16, mainF(192, 4), Shape4.of(1, 2, 2, 4), P0, P0, 2, 2, 1, 1, 1, 1,
                ValueRange.NONE, Floats.of(new float[16]), Floats.of(1, 2, 3, 4)));
        b.add(new CpuReduceWindow2dBody(f16, mainF(320, 4), ReduceOp.MEAN, Shape4.of(1, 2, 2, 4), P0, P0, 2, 2, 1, 1, 1,
                1, 0, ValueRange.NONE));
        b.add(new CpuQuantizedConv2dBody(u16, mainU8(460, 8), Shape4.of(1, 2, 2, 4), 2, P0, P0, 1, 1, 1, 1, 1, 1, 3, 4,
                1 << 20, 22, 5, Bytes.of(new byte[8]), Ints.of(1, 2)));
        b.add(new CpuQuantizedDepthwiseConv2dBody(u16, mainU8(500, 4), Shape4.of(1, 2, 2, 4), P0, P0, 2, 2, 1, 1, 1, 1,
                3, 4, 1 << 20, 22, 5, Bytes.of(new byte[16]), Ints.of(1, 2, 3, 4)));
        b.add(new KpuUploadBody(u16, new MemoryRange(MemoryType.KPU, DataType.UINT8, 512, 256), Shape4.of(1, 1, 4, 4)));
        b.add(V4QuantizedCpuKpuOpsTest.doublingKpuConv(1, mainU8(960, 16)));
        List<V4Node> nodes = b.stream().map(V4Node::of).toList();
        V4Header h = new V4Header(0, 1, consts.length, 1024, nodes.size(), 1, 2, 0);
        V4Model m = new V4Model(h, List.of(new MemoryRange(MemoryType.KPU, DataType.UINT8, 0, 256)),
                List.of(Shape4.of(1, 1, 4, 4)), List.of(mainF(0, 16), mainU8(960, 16)), consts, nodes);
        return m;
    }

    @Test
    void theOpZooRunsCleanly() throws Exception {
        V4Model zoo = V4Reader.read(V4Writer.write(opZoo()));
        var r = new V4Kmodel(zoo).run(KmodelTensor.ofUint8(new int[] {1, 1, 4, 4}, new byte[16]), RunOptions.defaults());
        assertThat(r.layers()).hasSize(zoo.nodes().size());
        assertThat(zoo.nodes().stream().map(V4Node::opcode).distinct().count()).isEqualTo(28);
    }

    @Test
    void truncationsAndBadHeadersAreFormatErrors() {
        byte[] iris = V4Fixtures.bytes(V4Fixtures.IRIS);
        for (int len = 0; len < iris.length; len++) {
            byte[] cut = Arrays.copyOf(iris, len);
            assertThatThrownBy(() -> V4Reader.read(cut)).as("cut to %d", len).isInstanceOf(KmodelFormatException.class);
        }
        byte[] huge = iris.clone();
        huge[0x14 + 3] = 0x7F; // main_mem ~2 GiB
        assertThatThrownBy(() -> V4Reader.read(huge)).hasMessageContaining("main_mem").hasMessageContaining("8 MiB");
        byte[] op = iris.clone();
        int firstHeader = (int) bodyOffsets(iris)[0] - 8 * 4; // iris has 4 nodes
        op[firstHeader] = 0x15; // split, from an unofficial fork
        assertThatThrownBy(() -> V4Reader.read(op)).hasMessageContaining("0x0015").hasMessageContaining("Unknown opcode");
    }

    @Test
    void workBudgetStopsARunBeforeANodeThatWouldExceedIt() throws Exception {
        V4Kmodel m = V4Kmodel.read(V4Fixtures.bytes(V4Fixtures.YOLO));
        assertThatThrownBy(() -> m.run(KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, new byte[230400]),
                RunOptions.defaults().withWorkBudget(1_000_000))).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("node 0 (kpu_conv2d)").hasMessageContaining("work budget");
    }

    static long[] bodyOffsets(byte[] bytes) {
        try {
            V4Model m = V4Reader.read(bytes);
            long pos = 40 + 32L * m.inputs().size() + 16L * m.outputs().size() + m.constants().length
                    + 8L * m.nodes().size();
            long[] offs = new long[m.nodes().size()];
            for (int i = 0; i < offs.length; i++) {
                offs[i] = pos;
                pos += m.nodes().get(i).bodySize();
            }
            return offs;
        } catch (KmodelFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Seeded byte-level mutations of the op zoo and every real V4 file: read, then run what still parses. */
    @Test
    void thousandsOfSeededMutationsGiveOnlyTheFormatError() {
        List<byte[]> files = files();
        List<long[]> bodies = files.stream().map(V4FuzzTest::bodyOffsets).toList();
        fuzz("V4 fuzz", new Random(0x4D4B), files, new int[] {5000, 3000, 1000, 1000, 1000, 1000},
                new int[] {1, 1, 100, 40, 40, 40}, (f, orig, rnd) -> mutate(orig, bodies.get(f), rnd));
    }

    /**
     * Field-aware mutations from the body declarations (V4BodyLayouts): edge values of each field's
     * kind written into the declared fields of every node, so every range check and every sizer
     * meets values just outside what it accepts.
     */
    @Test
    void fieldAwareMutationsGiveOnlyTheFormatError() throws Exception {
        List<byte[]> files = files();
        List<List<FieldSpan>> spans = new ArrayList<>();
        for (byte[] f : files) {
            spans.add(spans(V4Reader.read(f)));
        }
        fuzz("V4 field fuzz", new Random(0xF1E1D), files, new int[] {4000, 2000, 300, 300, 300, 300},
                new int[] {1, 1, 60, 20, 20, 20}, (f, orig, rnd) -> FieldMutator.mutate(orig, spans.get(f), rnd));
    }

    /** The leaf fields of every node body, at their file offsets. */
    static List<FieldSpan> spans(V4Model m) {
        long[] offsets = m.bodyOffsets();
        List<FieldSpan> out = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            out.addAll(spans(V4BodyLayouts.of(m.nodes().get(i).opcode()), m.nodes().get(i).body(), offsets[i]));
        }
        return out;
    }

    private static <B extends V4Body> List<FieldSpan> spans(RecordLayout<B> layout, V4Body body, long at) {
        return layout.spans(layout.type().cast(body), at, Map.of());
    }

    private static List<byte[]> files() {
        List<byte[]> files = new ArrayList<>();
        files.add(V4Writer.write(opZoo()));
        for (String f : V4Fixtures.ALL) {
            files.add(V4Fixtures.bytes(f));
        }
        return files;
    }

    interface Mutation {
        byte[] apply(int file, byte[] orig, Random rnd);
    }

    /** Reads every mutation of every file and runs every {@code runEvery[f]}-th that parses; only format errors may come. */
    private static void fuzz(String title, Random rnd, List<byte[]> files, int[] counts, int[] runEvery,
            Mutation mutation) {
        KmodelFuzz fuzz = new KmodelFuzz(title);
        for (int f = 0; f < files.size(); f++) {
            byte[] orig = files.get(f);
            boolean small = f < 2;
            for (int k = 0; k < counts[f]; k++) {
                String what = (f == 0 ? "op zoo" : V4Fixtures.ALL.get(f - 1)) + " mutation " + k;
                Kmodel m = fuzz.read(mutation.apply(f, orig, rnd), what);
                if (m == null || k % runEvery[f] != 0) {
                    continue;
                }
                fuzz.run(what, true, () -> {
                    KmodelRuntime rt = m.newRuntime(RunOptions.defaults().withTraceOutputs(small)
                            .withWorkBudget(small ? 50_000_000L : 400_000_000L));
                    List<KmodelTensor> inputs = new ArrayList<>();
                    for (TensorDescription d : m.inputs()) {
                        int n = (int) Math.max(0, Math.min(d.elementCount(), 1 << 22));
                        inputs.add(d.type() == ElementType.FLOAT32
                                ? KmodelTensor.ofFloats(new int[] {n}, new float[n])
                                : KmodelTensor.ofUint8(new int[] {n}, new byte[n]));
                    }
                    rt.run(inputs);
                });
            }
        }
        fuzz.report();
        assertThat(fuzz.rejected()).isPositive();
    }

    private static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0xFFFFFFF8L, 0xFFFFFFFEL, 64, 256, 320, 240, 1024, 0x200000, 0x4B4D444CL};

    private static final k210studio.kpu.kmodel.KmodelMutator MUTATOR =
            new k210studio.kpu.kmodel.KmodelMutator(INTERESTING, 9, 4, 140);

    static byte[] mutate(byte[] orig, long[] bodies, Random rnd) {
        return MUTATOR.mutate(orig, bodies, rnd);
    }
}

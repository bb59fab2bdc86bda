package k210studio.converter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.ValueRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Op-level conformance with nncase v0.2.0-beta4's runtime (issue 12): small hand-made V4 kmodels, one float or
 * type-agnostic op each, run in nncase's C++ runtime and in kpu-sim on thousands of seeded random values spread over
 * each op's useful range (half-way points for quantize's rounding, every uint8 for dequantize, large arguments for
 * sin/cos, rows of very different logits for softmax, broadcast and fused clamps for binary ops, odd resize ratios).
 * Every output must be bit-identical. These pin the C++ float semantics the whole-model suite meets only now and
 * then: glibc's expf/logf/sinf/cosf, float (not double) intermediates, the loop order of reductions, roundf.
 */
class NncaseOpConformanceTest {
    private static final AtomicInteger MODELS = new AtomicInteger();
    private static final AtomicInteger VALUES = new AtomicInteger();

    private record Probe(String name, byte[] kmodel, KmodelTensor input) {
    }

    @TestFactory
    Stream<DynamicTest> singleOpKmodelsRunBitIdenticallyInNncase() {
        return probes().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> check(p)));
    }

    private static void check(Probe p) throws Exception {
        NncaseOracle oracle = NncaseOracle.get();
        Kmodel model = KmodelFiles.read(p.kmodel());
        NncaseOracle.Run theirs = oracle.run(oracle.keep("op_" + p.name(), p.kmodel()), p.input().bytes(), false);
        assertThat(theirs.ok()).as("%s: nncase's runtime must run it (exit %d)\n%s", p.name(), theirs.exitCode(),
                theirs.stderr()).isTrue();
        RunResult ours = model.run(p.input(), RunOptions.defaults());
        assertThat(theirs.outputs()).hasSize(ours.outputs().size());
        for (int i = 0; i < ours.outputs().size(); i++) {
            boolean f32 = model.outputs().get(i).type() == ElementType.FLOAT32;
            byte[] sim = ours.output(i).bytes();
            assertThat(FirstDifference.outputDifference(theirs.outputs().get(i), sim, f32)).as(p.name() + " output " + i)
                    .isEqualTo("identical");
            VALUES.addAndGet(f32 ? sim.length / 4 : sim.length);
        }
        MODELS.incrementAndGet();
    }

    @AfterAll
    static void summary() {
        System.out.printf(Locale.ROOT, "conformance ops: %d single-op kmodels, %d output values bit-identical with nncase%n",
                MODELS.get(), VALUES.get());
    }

    // ------------------------------------------------------------------ the probes

    private static List<Probe> probes() {
        List<Probe> out = new ArrayList<>();
        out.add(softmax("softmax 16x250 logits in [-12,12]", 16, 250, 1f, 12f, 1));
        out.add(softmax("softmax 2x1000 beta 0.37 logits in [-40,40]", 2, 1000, 0.37f, 40f, 2));
        for (UnaryOp op : UnaryOp.values()) {
            out.add(unary(op));
        }
        out.add(sigmoidNnil());
        out.add(quantize());
        out.add(dequantize());
        for (BinaryOp op : BinaryOp.values()) {
            out.add(binary(op, true));
            out.add(binary(op, false));
        }
        out.add(matmul());
        for (ReduceOp op : ReduceOp.values()) {
            out.add(reduce(op));
        }
        out.add(reduceWindow(ReduceOp.MEAN, 3, 2, new Padding(1, 1)));
        out.add(reduceWindow(ReduceOp.MAX, 2, 2, new Padding(0, 1)));
        out.add(resize(DataType.FLOAT32, ResizeMode.BILINEAR, false, 29, 11));
        out.add(resize(DataType.FLOAT32, ResizeMode.BILINEAR, true, 29, 11));
        out.add(resize(DataType.FLOAT32, ResizeMode.BILINEAR, false, 7, 40));
        out.add(resize(DataType.FLOAT32, ResizeMode.NEAREST_NEIGHBOR, false, 40, 9));
        out.add(resize(DataType.UINT8, ResizeMode.BILINEAR, false, 31, 23));
        out.add(resize(DataType.UINT8, ResizeMode.NEAREST_NEIGHBOR, false, 26, 34));
        out.add(conv2d(1, 5, 1));
        out.add(conv2d(3, 3, 2));
        out.add(conv2dTranspose());
        out.add(dataMovement());
        return out;
    }

    private static Shape4 shape(int c, int h, int w) {
        return Shape4.of(1, c, h, w);
    }

    /** n floats uniform in [lo, hi) from a fixed seed. */
    private static float[] uniform(int n, long seed, float lo, float hi) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return v;
    }

    private static KmodelTensor floats(Shape4 s, float[] v) {
        return KmodelTensor.ofFloats(new int[] {s.d0(), s.d1(), s.d2(), s.d3()}, v);
    }

    private static KmodelTensor bytes(Shape4 s, long seed) {
        byte[] b = new byte[(int) s.product()];
        new Random(seed).nextBytes(b);
        return KmodelTensor.ofUint8(new int[] {s.d0(), s.d1(), s.d2(), s.d3()}, b);
    }

    /** The body of a one-node model, from the input to a new output range. */
    private interface OneNode {
        V4Body body(OpKmodel m, MemoryRange in, MemoryRange out);
    }

    private static Probe single(String name, DataType inType, Shape4 in, DataType outType, long outElements,
            OneNode node, KmodelTensor input) {
        OpKmodel m = new OpKmodel(inType, in);
        MemoryRange out = m.main(outType, outElements);
        m.node(node.body(m, m.input(), out)).output(out);
        return new Probe(name, m.bytes(), input);
    }

    private static Probe softmax(String name, int rows, int inner, float beta, float spread, long seed) {
        Shape4 s = shape(1, rows, inner);
        float[] v = uniform(rows * inner, seed, -spread, spread);
        for (int r = 0; r < rows; r++) {
            v[r * inner + r % inner] = spread * 1.5f; // one clear winner per row, as a classifier's logits
        }
        return single(name, DataType.FLOAT32, s, DataType.FLOAT32, (long) rows * inner,
                (m, in, out) -> new SoftmaxBody(in, out, inner, rows, beta), floats(s, v));
    }

    private static Probe unary(UnaryOp op) {
        float lo, hi;
        switch (op) {
            case EXP -> { lo = -30f; hi = 30f; }
            case LOG, RSQRT -> { lo = 1e-4f; hi = 1000f; }
            case SIN, COS -> { lo = -300f; hi = 300f; } // past 120, where the large-argument reduction starts
            default -> { lo = -100f; hi = 100f; }
        }
        Shape4 s = shape(1, 32, 128);
        return single("unary " + op.name().toLowerCase(Locale.ROOT) + " on [" + lo + "," + hi + ")", DataType.FLOAT32, s,
                DataType.FLOAT32, s.product(), (m, in, out) -> new UnaryBody(in, out, op),
                floats(s, uniform((int) s.product(), 10 + op.ordinal(), lo, hi)));
    }

    /** nnil program of a sigmoid as ncc emits for a fused logistic: 1 / (1 + exp(-x)). */
    private static Probe sigmoidNnil() {
        byte[] prog = {0x05, 0x03, 0x26, 0x23, 0x05, 0x40, 0x43, (byte) 0xA0};
        Shape4 s = shape(1, 32, 128);
        return single("nnil sigmoid on [-30,30)", DataType.FLOAT32, s, DataType.FLOAT32, s.product(),
                (m, in, out) -> new NnilUnaryMethodBody(in, out, Bytes.of(prog)),
                floats(s, uniform((int) s.product(), 3, -30f, 30f)));
    }

    private static Probe quantize() {
        Shape4 s = shape(1, 16, 256);
        float scale = 0.8137f;
        int zp = 23;
        float[] v = uniform((int) s.product(), 4, -60f, 330f);
        for (int i = 0; i < v.length; i += 3) {
            // x·scale + zp lands on (or next to) a half: roundf's ties and their neighbours
            float q = (float) Math.floor(v[i]) + 0.5f;
            v[i] = (q - zp) / scale;
            if (i % 2 == 0) {
                v[i] = Math.nextUp(v[i]);
            }
        }
        return single("quantize scale 0.8137 zp 23, halves and out-of-range values", DataType.FLOAT32, s, DataType.UINT8,
                s.product(), (m, in, out) -> new QuantizeBody(in, out, new QuantParam(zp, scale)), floats(s, v));
    }

    private static Probe dequantize() {
        Shape4 s = shape(1, 16, 256);
        return single("dequantize scale 26.954 zp 131, every uint8", DataType.UINT8, s, DataType.FLOAT32, s.product(),
                (m, in, out) -> new DequantizeBody(in, out, new QuantParam(131, 26.954f)), bytes(s, 5));
    }

    private static Probe binary(BinaryOp op, boolean broadcast) {
        Shape4 s = shape(8, 16, 16);
        Shape4 sb = broadcast ? shape(8, 1, 1) : s;
        float[] b = uniform((int) sb.product(), 20 + op.ordinal(), 0.3f, 3f);
        for (int i = 1; i < b.length; i += 2) {
            b[i] = -b[i];
        }
        ValueRange act = broadcast ? new ValueRange(-4f, 7f) : ValueRange.NONE;
        return single("binary " + op.name().toLowerCase(Locale.ROOT) + (broadcast ? " broadcast, clamp [-4,7]" : " same shape"),
                DataType.FLOAT32, s, DataType.FLOAT32, s.product(),
                (m, in, out) -> new BinaryBody(in, m.constant(b), out, op, s, sb, s, act),
                floats(s, uniform((int) s.product(), 30 + op.ordinal(), -10f, 10f)));
    }

    private static Probe matmul() {
        int rows = 3, cols = 300, bCols = 17;
        Shape4 s = shape(1, rows, cols);
        float[] w = uniform(cols * bCols, 40, -0.2f, 0.2f);
        float[] bias = uniform(bCols, 41, -1f, 1f);
        return single("matmul 3x300 by 300x17 with bias", DataType.FLOAT32, s, DataType.FLOAT32, (long) rows * bCols,
                (m, in, out) -> new MatmulBody(in, m.constant(w), out, rows, cols, bCols, ValueRange.NONE, Floats.of(bias)),
                floats(s, uniform(rows * cols, 42, 0f, 6f)));
    }

    private static Probe reduce(ReduceOp op) {
        Shape4 s = shape(64, 7, 7);
        boolean spatial = op == ReduceOp.MEAN || op == ReduceOp.MAX;
        Shape4 rs = spatial ? shape(64, 1, 1) : shape(1, 7, 7);
        float init = op == ReduceOp.MAX ? -Float.MAX_VALUE : op == ReduceOp.MIN ? Float.MAX_VALUE : 0f;
        return single("reduce " + op.name().toLowerCase(Locale.ROOT) + " " + s + " to " + rs, DataType.FLOAT32, s,
                DataType.FLOAT32, rs.product(), (m, in, out) -> new ReduceBody(in, out, op, s, rs, init),
                floats(s, uniform((int) s.product(), 50 + op.ordinal(), 0f, 9f)));
    }

    private static Probe reduceWindow(ReduceOp op, int k, int stride, Padding pad) {
        Shape4 s = shape(4, 15, 15);
        int outH = (15 + pad.before() + pad.after() - k + stride) / stride;
        float init = op == ReduceOp.MAX ? -Float.MAX_VALUE : 0f;
        return single("reduce_window2d " + op.name().toLowerCase(Locale.ROOT) + " " + k + "x" + k + " stride " + stride + " pad "
                + pad.before() + "," + pad.after(), DataType.FLOAT32, s, DataType.FLOAT32, 4L * outH * outH,
                (m, in, out) -> new ReduceWindow2dBody(in, out, op, s, pad, pad, k, k, stride, stride, 1, 1, init,
                        ValueRange.NONE), floats(s, uniform((int) s.product(), 60 + k, -3f, 9f)));
    }

    private static Probe resize(DataType type, ResizeMode mode, boolean align, int outH, int outW) {
        Shape4 s = shape(3, 13, 17);
        KmodelTensor input = type == DataType.UINT8 ? bytes(s, 70 + outH) : floats(s, uniform((int) s.product(), 70 + outH, -5f, 5f));
        return single("resize " + mode.name().toLowerCase(Locale.ROOT) + (align ? " align_corners" : "") + " "
                + type.name().toLowerCase(Locale.ROOT) + " 13x17 to " + outH + "x" + outW, type, s, type, 3L * outH * outW,
                (m, in, out) -> new ResizeImageBody(in, out, s, outH, outW, mode, align, 0), input);
    }

    private static Probe conv2d(int groups, int outC, int stride) {
        Shape4 s = shape(3, 12, 12);
        int gIc = 3 / groups;
        int outHw = (12 + 2 - 3 + stride) / stride;
        float[] w = uniform(outC * gIc * 9, 80 + groups, -0.5f, 0.5f);
        float[] bias = uniform(outC, 81, -0.3f, 0.3f);
        return single("conv2d 3x3 groups " + groups + " stride " + stride + ", relu6", DataType.FLOAT32, s, DataType.FLOAT32,
                (long) outC * outHw * outHw, (m, in, out) -> new Conv2dBody(in, out, s, groups, outC, new Padding(1, 1),
                        new Padding(1, 1), 3, 3, stride, stride, 1, 1, new ValueRange(0f, 6f), Floats.of(w), Floats.of(bias)),
                floats(s, uniform((int) s.product(), 82, -2f, 2f)));
    }

    private static Probe conv2dTranspose() {
        Shape4 s = shape(4, 6, 6);
        Shape4 os = shape(3, 12, 12);
        float[] w = uniform(3 * 4 * 9, 90, -0.5f, 0.5f);
        return single("conv2d_transpose 3x3 stride 2, 4 to 3 channels, clamp [-1,2]", DataType.FLOAT32, s, DataType.FLOAT32,
                os.product(), (m, in, out) -> new Conv2dTransposeBody(in, out, s, os, 1, new Padding(1, 0), new Padding(1, 0),
                        3, 3, 2, 2, 1, 1, new ValueRange(-1f, 2f), Floats.of(w), Floats.of(new float[3])),
                floats(s, uniform((int) s.product(), 91, -2f, 2f)));
    }

    /** The compiler's type-agnostic ops in a chain: transpose NCHW→NHWC, pad, strided slice, concat with the input. */
    private static Probe dataMovement() {
        Shape4 s = shape(3, 10, 10);
        OpKmodel m = new OpKmodel(DataType.FLOAT32, s);
        MemoryRange t = m.main(DataType.FLOAT32, s.product());
        m.node(new TransposeBody(m.input(), t, s, Shape4.of(0, 2, 3, 1)));
        MemoryRange p = m.main(DataType.FLOAT32, 3L * 13 * 12);
        m.node(new PadBody(m.input(), p, s, List.of(new Padding(0, 0), new Padding(0, 0), new Padding(1, 2), new Padding(0, 2)),
                new Scalar(DataType.FLOAT32.code(), Float.floatToRawIntBits(0f))));
        MemoryRange sl = m.main(DataType.FLOAT32, 3L * 5 * 5);
        m.node(new StridedSliceBody(m.input(), sl, s, Shape4.of(0, 0, 1, 0), Shape4.of(1, 3, 10, 10), Shape4.of(1, 1, 2, 2),
                0, 0, 0, 0, 0));
        MemoryRange c = m.main(DataType.FLOAT32, 2 * s.product());
        m.node(new ConcatBody(c, 100L * 4, 1, List.of(m.input(), t), List.of(3, 3)));
        m.output(t).output(p).output(sl).output(c);
        return new Probe("transpose, pad, strided_slice, concat (float)", m.bytes(),
                floats(s, uniform((int) s.product(), 99, -1f, 1f)));
    }
}

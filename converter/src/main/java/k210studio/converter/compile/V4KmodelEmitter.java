package k210studio.converter.compile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import k210studio.ir.layer.ActivationFn;
import k210studio.kpu.kmodel.v4.V4Header;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
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
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/**
 * Turns a planned {@link K210Program} into a kmodel V4 ({@link V4Model}, written by the same writer that
 * round-trips nncase's files), following kmodel-v4.md §15: uint8 input (KPU or main), float32 outputs after a
 * dequantize, KPU tables 256-aligned, 8-aligned const/main ranges.
 */
public final class V4KmodelEmitter {
    private final ByteArrayOutputStream constants = new ByteArrayOutputStream();

    private V4KmodelEmitter() {
    }

    /** The model and, for every node, the IR tensor its output holds. */
    public record Emitted(V4Model model, LayerTensorMap layers) {
    }

    public static V4Model emit(K210Program program, MemoryPlanner.Result memory) throws CompileException {
        return emitMapped(program, memory).model();
    }

    public static Emitted emitMapped(K210Program program, MemoryPlanner.Result memory) throws CompileException {
        List<Integer> steps = new ArrayList<>();
        List<PlannedValue> values = new ArrayList<>();
        V4Model m = new V4KmodelEmitter().build(program, memory, steps, values);
        return new Emitted(m, LayerTensorMap.of(program, steps, values));
    }

    private V4Model build(K210Program program, MemoryPlanner.Result memory, List<Integer> nodeSteps, List<PlannedValue> nodeValues)
            throws CompileException {
        List<V4Node> nodes = new ArrayList<>();
        for (int i = 0; i < program.steps().size(); i++) {
            PlanStep s = program.steps().get(i);
            for (V4Body b : bodies(s)) {
                nodes.add(V4Node.of(b));
                nodeSteps.add(i);
                nodeValues.add(written(s, b));
            }
        }
        if (nodes.isEmpty()) {
            throw new CompileException("the network has no layers to run", null);
        }
        List<MemoryRange> inputs = new ArrayList<>();
        List<Shape4> inputShapes = new ArrayList<>();
        for (PlannedValue in : program.inputs()) {
            inputs.add(range(in));
            inputShapes.add(Shape4.of(1, in.c(), in.h(), in.w()));
        }
        List<MemoryRange> outputs = new ArrayList<>();
        for (PlannedValue out : program.outputs()) {
            outputs.add(range(out));
        }
        byte[] consts = constants.toByteArray();
        long mainSize = (memory.main().extent() + 7) / 8 * 8;
        V4Header header = new V4Header(0, V4Header.TARGET_K210, consts.length, mainSize, nodes.size(), inputs.size(),
                outputs.size(), 0);
        return new V4Model(header, inputs, inputShapes, outputs, consts, nodes);
    }

    private List<V4Body> bodies(PlanStep s) throws CompileException {
        if (s instanceof PlanStep.KpuConv k) {
            KpuConvPlan p = k.plan();
            MemoryRange mainOut = p.mainOutput() == null ? new MemoryRange(MemoryType.CONST, DataType.FLOAT32, 0, 0)
                    : range(p.mainOutput());
            return List.of(new KpuConv2dBody(mainOut, 1, 0, Longs.of(KpuRegisterBuilder.build(p).toWords()),
                    Longs.of(p.bnWords()), Bytes.of(wordsToBytes(p.actWords())), Bytes.of(p.weightBytesLe())));
        }
        if (s instanceof PlanStep.Upload u) {
            MemoryRange src = range(u.in());
            src = new MemoryRange(src.memoryType(), src.dataType(), src.start() + u.offset(), src.size());
            return List.of(new KpuUploadBody(src, range(u.out()), shape(u.out())));
        }
        if (s instanceof PlanStep.Quantize q) {
            return List.of(new QuantizeBody(range(q.in()), range(q.out()), quant(q.out())));
        }
        if (s instanceof PlanStep.Dequantize d) {
            return List.of(new DequantizeBody(range(d.in()), range(d.out()), quant(d.in())));
        }
        if (s instanceof PlanStep.FlattenHwc f) {
            return List.of(new TransposeBody(range(f.in()), range(f.out()), shape(f.in()), Shape4.of(0, 2, 3, 1)));
        }
        if (s instanceof PlanStep.FullyConnected fc) {
            int in = (int) fc.in().elements();
            int out = (int) fc.out().elements();
            float[] b = new float[in * out];
            float[] w = fc.weights();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    b[i * out + o] = w[o * in + i];
                }
            }
            MemoryRange weights = constant(b);
            return List.of(new MatmulBody(range(fc.in()), weights, range(fc.out()), 1, in, out, clamp(fc.activation()),
                    Floats.of(fc.bias())));
        }
        if (s instanceof PlanStep.PadU8 p) {
            List<Padding> pads = List.of(new Padding(0, 0), new Padding(0, 0), new Padding(p.top(), p.bottom()),
                    new Padding(p.left(), p.right()));
            return List.of(new PadBody(range(p.in()), range(p.out()), shape(p.in()), pads,
                    new Scalar(DataType.UINT8.code(), p.in().quant().zeroPoint() & 0xFF)));
        }
        if (s instanceof PlanStep.GlobalAveragePool gp) {
            return List.of(new ReduceBody(range(gp.in()), range(gp.out()), ReduceOp.MEAN, shape(gp.in()),
                    Shape4.of(1, gp.in().c(), 1, 1), 0f));
        }
        if (s instanceof PlanStep.Softmax sm) {
            return List.of(new SoftmaxBody(range(sm.in()), range(sm.out()), (int) sm.in().elements(), 1, 1f));
        }
        if (s instanceof PlanStep.Add a) {
            return List.of(new BinaryBody(range(a.a()), range(a.b()), range(a.out()), BinaryOp.ADD, shape(a.a()), shape(a.b()),
                    shape(a.out()), ValueRange.NONE));
        }
        if (s instanceof PlanStep.CpuActivation a) {
            Shape4 shape = shape(a.in());
            Shape4 scalar = Shape4.of(1, 1, 1, 1);
            ActivationFn fn = a.fn();
            if (fn.kind() == ActivationFn.Kind.LEAKY_RELU) {
                // α ≤ 1: max(x, αx); α > 1: min(x, αx)
                MemoryRange alpha = constant(new float[] {fn.alpha()});
                return List.of(new BinaryBody(range(a.in()), alpha, range(a.scratch()), BinaryOp.MUL, shape, scalar, shape,
                        ValueRange.NONE), new BinaryBody(range(a.in()), range(a.scratch()), range(a.out()),
                        fn.alpha() <= 1f ? BinaryOp.MAX : BinaryOp.MIN, shape, shape, shape, ValueRange.NONE));
            }
            MemoryRange zero = constant(new float[] {0f});
            ValueRange clamp = fn.kind() == ActivationFn.Kind.RELU6 ? new ValueRange(0f, 6f) : ValueRange.NONE;
            return List.of(new BinaryBody(range(a.in()), zero, range(a.out()), BinaryOp.MAX, shape, scalar, shape, clamp));
        }
        if (s instanceof PlanStep.StridedSliceU8 ss) {
            PlannedValue o = ss.out();
            return List.of(new StridedSliceBody(range(ss.in()), range(o), shape(ss.in()), Shape4.of(0, 0, ss.rowStart(), ss.colStart()),
                    Shape4.of(1, o.c(), ss.rowStart() + ss.step() * (o.h() - 1) + 1, ss.colStart() + ss.step() * (o.w() - 1) + 1),
                    Shape4.of(1, 1, ss.step(), ss.step()), 0, 0, 0, 0, 0));
        }
        if (s instanceof PlanStep.Concat c) {
            List<MemoryRange> ins = new ArrayList<>();
            List<Integer> dims = new ArrayList<>();
            for (PlannedValue v : c.ins()) {
                ins.add(range(v));
                dims.add(v.c());
            }
            long inner = (long) c.out().h() * c.out().w() * (c.out().storage() == Storage.MAIN_F32 ? 4 : 1);
            return List.of(new ConcatBody(range(c.out()), inner, 1, ins, dims));
        }
        if (s instanceof PlanStep.Pool p) {
            int outH = p.out().h();
            int outW = p.out().w();
            int padBottom = Math.max(0, (outH - 1) * p.strideH() + p.kernelH() - p.in().h() - p.padTop());
            int padRight = Math.max(0, (outW - 1) * p.strideW() + p.kernelW() - p.in().w() - p.padLeft());
            return List.of(new ReduceWindow2dBody(range(p.in()), range(p.out()), p.max() ? ReduceOp.MAX : ReduceOp.MEAN,
                    shape(p.in()), new Padding(p.padTop(), padBottom), new Padding(p.padLeft(), padRight), p.kernelH(),
                    p.kernelW(), p.strideH(), p.strideW(), 1, 1, p.max() ? -Float.MAX_VALUE : 0f, ValueRange.NONE));
        }
        if (s instanceof PlanStep.CpuConv c) {
            return List.of(new Conv2dBody(range(c.in()), range(c.out()), shape(c.in()), c.groups(), c.out().c(),
                    new Padding(c.padTop(), c.padBottom()), new Padding(c.padLeft(), c.padRight()), c.kernelH(), c.kernelW(),
                    c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), clamp(c.clamp()), Floats.of(c.weights()),
                    Floats.of(c.bias())));
        }
        if (s instanceof PlanStep.ResizeNearest r) {
            return List.of(new ResizeImageBody(range(r.in()), range(r.out()), shape(r.in()), r.out().h(), r.out().w(),
                    ResizeMode.NEAREST_NEIGHBOR, false, 0));
        }
        throw new CompileException(s.source() + ": no kmodel V4 op for step " + s.getClass().getSimpleName()
                + " in this version of the studio", s.source());
    }

    /** The value of step {@code s} that node body {@code b} writes (a KPU conv: its KPU output, which the trace shows). */
    private static PlannedValue written(PlanStep s, V4Body b) {
        if (s instanceof PlanStep.KpuConv k) {
            return k.plan().output();
        }
        MemoryRange out = k210studio.kpu.kmodel.v4.V4BodyRanges.of(b).get("output");
        for (PlannedValue w : s.writes()) {
            if (out != null && w.storage() != Storage.CONST && range(w).memoryType() == out.memoryType() && range(w).start() == out.start()) {
                return w;
            }
        }
        return null;
    }

    private MemoryRange constant(float[] values) {
        int start = constants.size();
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        constants.writeBytes(b.array());
        while (constants.size() % 8 != 0) {
            constants.write(0);
        }
        return new MemoryRange(MemoryType.CONST, DataType.FLOAT32, start, values.length * 4L);
    }

    static MemoryRange range(PlannedValue v) {
        switch (v.storage()) {
            case KPU:
                return new MemoryRange(MemoryType.KPU, DataType.UINT8, v.address() * 64, v.bytes());
            case MAIN_U8:
                return new MemoryRange(MemoryType.MAIN, DataType.UINT8, v.address(), v.bytes());
            case MAIN_F32:
                return new MemoryRange(MemoryType.MAIN, DataType.FLOAT32, v.address(), v.bytes());
            default:
                throw new IllegalStateException("constant values are placed by the emitter");
        }
    }

    private static Shape4 shape(PlannedValue v) {
        return Shape4.of(1, v.c(), v.h(), v.w());
    }

    private static QuantParam quant(PlannedValue v) {
        return new QuantParam(v.quant().zeroPoint(), (float) v.quant().scale());
    }

    private static ValueRange clamp(ActivationFn a) throws CompileException {
        switch (a.kind()) {
            case LINEAR:
                return ValueRange.NONE;
            case RELU:
                return new ValueRange(0f, Float.MAX_VALUE);
            case RELU6:
                return new ValueRange(0f, 6f);
            default:
                throw new CompileException("a CPU matmul or conv2d cannot apply " + a, null);
        }
    }

    private static byte[] wordsToBytes(long[] words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) {
            b.putLong(w);
        }
        return b.array();
    }
}

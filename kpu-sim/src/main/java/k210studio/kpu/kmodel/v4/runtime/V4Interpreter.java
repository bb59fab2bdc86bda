package k210studio.kpu.kmodel.v4.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import k210studio.kpu.chip.Kpu;
import k210studio.kpu.chip.KpuLayerResult;
import k210studio.kpu.chip.KpuRam;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v4.V4BodyRanges;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
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
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.QuantizedBinaryBody;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TableLookup1dBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.V4Body;

/**
 * Runs a {@link V4Model} like the nncase v0.2.0-beta4 interpreter (kmodel-v4.md §9): feed the
 * inputs (main: bytes copied as they are; KPU: dense uint8 NCHW re-laid out into KPU RAM), walk the
 * nodes in order, then read each output range as raw bytes. Outputs are flat unless the caller
 * gives shapes (as MaixPy's {@code kpu.set_outputs}). Owns its memories; not thread-safe.
 */
public final class V4Interpreter {
    /** Rough cycle cost of one CPU element operation on the 400 MHz RV64 (float MAC incl. loads). */
    static final int CPU_CYCLES_PER_OP = 4;

    private final V4Model model;
    private final RunOptions options;
    private final List<int[]> outputShapes;
    private final V4Pools pools;
    private final KpuSupport kpu;
    private final long[] kpuOccupancy;

    /**
     * @param outputShapes one shape per output or an empty list; an entry may be null (flat output)
     */
    public V4Interpreter(V4Model model, RunOptions options, List<int[]> outputShapes) throws KmodelFormatException {
        model.checkRanges(); // models built in memory have not been through the reader's checks
        if (model.mainMemSize() > k210studio.kpu.kmodel.v4.V4Reader.MAX_MAIN_MEM) {
            throw new KmodelFormatException("kmodel V4: main_mem " + model.mainMemSize()
                    + " bytes is more than the K210's 8 MiB of SRAM");
        }
        this.model = model;
        this.options = options;
        this.outputShapes = new ArrayList<>();
        for (int i = 0; i < model.outputs().size(); i++) {
            int[] s = i < outputShapes.size() ? outputShapes.get(i) : null;
            if (s != null) {
                long n = 1;
                for (int d : s) {
                    n *= d;
                }
                MemoryRange r = model.outputs().get(i);
                if (n != r.elements()) {
                    throw new KmodelFormatException("kmodel V4 output " + i + ": shape " + Arrays.toString(s) + " holds "
                            + n + " elements but the output range " + r + " holds " + r.elements()
                            + " (as MaixPy's set_outputs: w*h*ch must match the output size)");
                }
            }
            this.outputShapes.add(s == null ? null : s.clone());
        }
        KpuRam ram = new KpuRam();
        this.pools = new V4Pools(model.constants(), new byte[(int) model.mainMemSize()], ram.bytes());
        this.kpu = new KpuSupport(new Kpu(), ram, options.rules().resolve(4), model.nodes().size());
        this.kpuOccupancy = KpuLiveness.occupancy(model);
    }

    public V4Model model() {
        return model;
    }

    /** The 2 MiB KPU RAM this interpreter runs on (live array, for inspection). */
    public byte[] kpuRam() {
        return pools.kpu();
    }

    public RunResult run(List<KmodelTensor> inputs) throws KmodelFormatException {
        if (inputs.size() != model.inputs().size()) {
            throw new IllegalArgumentException("the model has " + model.inputs().size() + " input(s), got "
                    + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            feed(i, inputs.get(i));
        }
        WorkBudget budget = new WorkBudget(options.workBudget());
        List<LayerTrace> traces = new ArrayList<>();
        List<V4Node> nodes = model.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            V4Node node = nodes.get(i);
            NodeContext ctx = new NodeContext(i, node.opcode(), pools, budget);
            long before = budget.used();
            boolean onKpu = node.body() instanceof KpuConv2dBody;
            long cycles;
            KmodelTensor snapshot = null;
            if (onKpu) {
                KpuLayerResult r = KpuKernels.kpuConv2d((KpuConv2dBody) node.body(), ctx, kpu);
                cycles = r.estimatedCycles();
                if (options.traceOutputs()) {
                    // the pooled output map, dense N x C x H x W (what main_mem_output receives)
                    snapshot = KmodelTensor.ofUint8(new int[] {r.batches(), r.channels(), r.height(), r.width()},
                            r.output());
                }
            } else {
                execute(node.body(), ctx);
                cycles = (budget.used() - before) * CPU_CYCLES_PER_OP;
                snapshot = options.traceOutputs() ? snapshot(node.body()) : null;
            }
            traces.add(new LayerTrace(i, node.opcode().spelling(), onKpu ? ExecutionUnit.KPU : ExecutionUnit.CPU,
                    snapshot, cycles, kpuOccupancy[i]));
        }
        List<KmodelTensor> outs = new ArrayList<>();
        for (int i = 0; i < model.outputs().size(); i++) {
            MemoryRange r = model.outputs().get(i);
            int[] shape = outputShapes.get(i) != null ? outputShapes.get(i) : new int[] {(int) r.elements()};
            outs.add(tensorOf(r, shape));
        }
        return new RunResult(outs, traces);
    }

    private void feed(int index, KmodelTensor t) throws KmodelFormatException {
        MemoryRange r = model.inputs().get(index);
        Shape4 s = model.inputShapes().get(index);
        ElementType want = r.dataType() == DataType.FLOAT32 ? ElementType.FLOAT32 : ElementType.UINT8;
        if (t.type() != want) {
            throw new IllegalArgumentException("input " + index + " must be " + want + " (the model's input range is "
                    + r + "), got " + t.type());
        }
        byte[] data = t.bytes();
        if (r.memoryType() == MemoryType.KPU) {
            if (r.dataType() != DataType.UINT8) {
                throw new KmodelFormatException("kmodel V4 input " + index + ": K210 only supports uint8 input in KPU"
                        + " RAM, the range is " + r);
            }
            if (!s.isPositive()) {
                throw new KmodelFormatException("kmodel V4 input shape " + index + " " + s + " is not a valid NCHW shape");
            }
            long dense = s.product();
            if (data.length != dense) {
                throw new IllegalArgumentException("input " + index + " must hold " + dense + " bytes (NCHW " + s
                        + "), got " + data.length);
            }
            long bytes = KpuKernels.kpuBytes(s.d0(), s.d1(), s.d2(), s.d3());
            if (s.d3() > 4096 || r.start() + bytes > V4PoolsSize.KPU) {
                throw new KmodelFormatException("kmodel V4 input " + index + ": a " + s + " map at KPU 0x"
                        + Long.toHexString(r.start()) + " runs past the 2 MiB KPU RAM");
            }
            KpuKernels.upload(data, 0, pools.kpu(), r.start(), s.d0(), s.d1(), s.d2(), s.d3());
        } else {
            if (data.length != r.size()) {
                throw new IllegalArgumentException("input " + index + " must hold " + r.size() + " bytes ("
                        + r.elements() + " " + want + "), got " + data.length);
            }
            System.arraycopy(data, 0, pools.of(r.memoryType()), (int) r.start(), data.length);
        }
    }

    private KmodelTensor tensorOf(MemoryRange r, int[] shape) {
        byte[] p = pools.of(r.memoryType());
        ElementType t = r.dataType() == DataType.FLOAT32 ? ElementType.FLOAT32 : ElementType.UINT8;
        int bytes = (int) (r.elements() * r.dataType().bytes());
        return KmodelTensor.ofBytes(t, shape, p, (int) r.start(), bytes);
    }

    private KmodelTensor snapshot(V4Body body) {
        if (body instanceof KpuUploadBody u && u.inShape().isPositive()
                && u.output().start() + KpuKernels.kpuBytes(u.inShape().d0(), u.inShape().d1(), u.inShape().d2(), u.inShape().d3())
                <= pools.kpu().length) {
            // the uploaded map, dense N x C x H x W (as a KPU conv's snapshot), not the KPU RAM row layout
            Shape4 s = u.inShape();
            byte[] dense = new byte[(int) s.product()];
            KpuKernels.download(pools.kpu(), u.output().start(), dense, 0, s.d0(), s.d1(), s.d2(), s.d3());
            return KmodelTensor.ofUint8(s.toArray(), dense);
        }
        Map<String, MemoryRange> ranges = V4BodyRanges.of(body);
        MemoryRange out = ranges.get("output");
        return out == null ? null : tensorOf(out, new int[] {(int) out.elements()});
    }

    /** Runs one CPU-side node's kernel (kpu_conv2d goes through {@link KpuKernels#kpuConv2d}). */
    static void execute(V4Body body, NodeContext ctx) throws KmodelFormatException {
        if (body instanceof BinaryBody b) {
            NeutralKernels.binary(b, ctx);
        } else if (body instanceof ConcatBody b) {
            NeutralLayoutKernels.concat(b, ctx);
        } else if (body instanceof Conv2dBody b) {
            NeutralKernels.conv2d(b, ctx);
        } else if (body instanceof DequantizeBody b) {
            NeutralKernels.dequantize(b, ctx);
        } else if (body instanceof MatmulBody b) {
            NeutralKernels.matmul(b, ctx);
        } else if (body instanceof PadBody b) {
            NeutralLayoutKernels.pad(b, ctx);
        } else if (body instanceof QuantizeBody b) {
            NeutralKernels.quantize(b, ctx);
        } else if (body instanceof ReduceBody b) {
            NeutralKernels.reduce(b, ctx);
        } else if (body instanceof ReduceWindow2dBody b) {
            NeutralKernels.reduceWindow2d(b, ctx);
        } else if (body instanceof MemoryCopyBody b) {
            NeutralLayoutKernels.memoryCopy(b, ctx);
        } else if (body instanceof ResizeImageBody b) {
            NeutralKernels.resizeImage(b, ctx);
        } else if (body instanceof SoftmaxBody b) {
            NeutralKernels.softmax(b, ctx);
        } else if (body instanceof TransposeBody b) {
            NeutralLayoutKernels.transpose(b, ctx);
        } else if (body instanceof StridedSliceBody b) {
            NeutralLayoutKernels.stridedSlice(b, ctx);
        } else if (body instanceof UnaryBody b) {
            NeutralKernels.unary(b, ctx);
        } else if (body instanceof QuantizedConv2dBody b) {
            QuantizedKernels.conv2d(b, ctx);
        } else if (body instanceof QuantizedMatmulBody b) {
            QuantizedKernels.matmul(b, ctx);
        } else if (body instanceof QuantizedBinaryBody b) {
            QuantizedKernels.binary(b, ctx);
        } else if (body instanceof TableLookup1dBody b) {
            NeutralKernels.tableLookup1d(b, ctx);
        } else if (body instanceof Conv2dTransposeBody b) {
            NeutralKernels.conv2dTranspose(b, ctx);
        } else if (body instanceof NnilUnaryMethodBody b) {
            NnilInterpreter.run(b, ctx);
        } else if (body instanceof CpuConv2dBody b) {
            CpuKernels.conv2d(b, ctx);
        } else if (body instanceof CpuDepthwiseConv2dBody b) {
            CpuKernels.depthwiseConv2d(b, ctx);
        } else if (body instanceof CpuReduceWindow2dBody b) {
            CpuKernels.reduceWindow2d(b, ctx);
        } else if (body instanceof CpuQuantizedConv2dBody b) {
            CpuKernels.quantizedConv2d(b, ctx);
        } else if (body instanceof CpuQuantizedDepthwiseConv2dBody b) {
            CpuKernels.quantizedDepthwiseConv2d(b, ctx);
        } else if (body instanceof KpuUploadBody b) {
            KpuKernels.kpuUpload(b, ctx);
        } else {
            throw ctx.fail("no kernel for " + body.opcode());
        }
    }
}

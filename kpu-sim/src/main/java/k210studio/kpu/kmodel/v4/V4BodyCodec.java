package k210studio.kpu.kmodel.v4;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Padding;
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
import k210studio.kpu.kmodel.v4.body.V4Opcode;

/**
 * The one table of V4 body layouts (kmodel-v4.md §6-§8): for each opcode, how its body is read
 * from and written to bytes. Field order and sizes follow the spec's tables exactly; variable
 * parts (weights, biases, tables) are sized from the fixed fields and bounds-checked first.
 */
public final class V4BodyCodec {
    private V4BodyCodec() {
    }

    /** Reads one body starting at the reader's position (the reader's limit is the body end). */
    static V4Body decode(V4Opcode op, V4ByteReader r) throws KmodelFormatException {
        switch (op) {
            case BINARY: {
                MemoryRange a = r.memoryRange("input_a");
                MemoryRange b = r.memoryRange("input_b");
                MemoryRange o = r.memoryRange("output");
                return new BinaryBody(a, b, o, r.binaryOp("binary_op"), r.shape("in_a_shape"), r.shape("in_b_shape"),
                        r.shape("out_shape"), r.valueRange("fused_activation"));
            }
            case CONCAT: {
                MemoryRange o = r.memoryRange("output");
                long inner = r.u32("inner_size");
                long outer = r.u32("outer_size");
                long at = r.position();
                long n = r.u32("inputs_count");
                if (n * 20 > r.remaining()) {
                    throw r.error(at, "inputs_count", n + " inputs need " + n * 20 + " bytes but the body has "
                            + r.remaining() + " left");
                }
                List<MemoryRange> ins = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ins.add(r.memoryRange("inputs[" + i + "]"));
                }
                List<Integer> dims = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    dims.add(r.i32("dims[" + i + "]"));
                }
                return new ConcatBody(o, inner, outer, ins, dims);
            }
            case CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 inShape = r.shape("in_shape");
                long groupsAt = r.position();
                int groups = r.i32("groups");
                int oc = r.count("out_channels");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                var act = r.valueRange("fused_activation");
                long w = product(r, groupsAt, oc, perGroup(r, groupsAt, inShape.d1(), groups), fh, fw);
                return new Conv2dBody(in, out, inShape, groups, oc, ph, pw, fh, fw, sh, sw, dh, dw, act,
                        r.floats(w, "weights"), r.floats(oc, "bias"));
            }
            case DEQUANTIZE:
                return new DequantizeBody(r.memoryRange("input"), r.memoryRange("output"), r.quantParam("quant_param"));
            case QUANTIZE:
                return new QuantizeBody(r.memoryRange("input"), r.memoryRange("output"), r.quantParam("quant_param"));
            case MATMUL: {
                MemoryRange a = r.memoryRange("input_a");
                MemoryRange b = r.memoryRange("input_b");
                MemoryRange o = r.memoryRange("output");
                int rows = r.count("a_rows");
                int cols = r.count("a_cols");
                int bCols = r.count("b_cols");
                return new MatmulBody(a, b, o, rows, cols, bCols, r.valueRange("fused_activation"),
                        r.floats(bCols, "bias"));
            }
            case PAD: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                List<Padding> p = List.of(r.padding("paddings[0]"), r.padding("paddings[1]"), r.padding("paddings[2]"),
                        r.padding("paddings[3]"));
                return new PadBody(in, out, s, p, r.scalar("pad_value"));
            }
            case REDUCE: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                return new ReduceBody(in, out, r.reduceOp("reduce_op"), r.shape("in_shape"), r.shape("out_shape"),
                        r.f32("init_value"));
            }
            case REDUCE_WINDOW2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                var rop = r.reduceOp("reduce_op");
                Shape4 s = r.shape("in_shape");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                return new ReduceWindow2dBody(in, out, rop, s, ph, pw, r.i32("filter_h"), r.i32("filter_w"),
                        r.i32("stride_h"), r.i32("stride_w"), r.i32("dilation_h"), r.i32("dilation_w"),
                        r.f32("init_value"), r.valueRange("fused_activation"));
            }
            case MEMORY_COPY:
                return new MemoryCopyBody(r.memoryRange("input"), r.memoryRange("output"));
            case RESIZE_IMAGE: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                int oh = r.i32("out_h");
                int ow = r.i32("out_w");
                var mode = r.resizeMode("mode");
                long at = r.position();
                int ac = r.u8("align_corners");
                if (ac > 1) {
                    throw r.error(at, "align_corners", "is " + ac + "; a bool must be 0 or 1");
                }
                int pad = r.u8("struct_pad") | r.u8("struct_pad") << 8 | r.u8("struct_pad") << 16;
                return new ResizeImageBody(in, out, s, oh, ow, mode, ac == 1, pad);
            }
            case SOFTMAX:
                return new SoftmaxBody(r.memoryRange("input"), r.memoryRange("output"), r.i32("inner_size"),
                        r.i32("outer_size"), r.f32("beta"));
            case TRANSPOSE:
                return new TransposeBody(r.memoryRange("input"), r.memoryRange("output"), r.shape("in_shape"),
                        r.shape("perm"));
            case STRIDED_SLICE:
                return new StridedSliceBody(r.memoryRange("input"), r.memoryRange("output"), r.shape("in_shape"),
                        r.shape("begin"), r.shape("end"), r.shape("strides"), r.i32("begin_mask"), r.i32("end_mask"),
                        r.i32("ellipsis_mask"), r.i32("new_axis_mask"), r.i32("shrink_axis_mask"));
            case UNARY:
                return new UnaryBody(r.memoryRange("input"), r.memoryRange("output"), r.unaryOp("unary_op"));
            case QUANTIZED_CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 inShape = r.shape("in_shape");
                long groupsAt = r.position();
                int groups = r.i32("groups");
                int oc = r.count("out_channels");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                int inOff = r.i32("input_offset");
                int fOff = r.i32("filter_offset");
                int mul = r.i32("output_mul");
                int shift = r.i32("output_shift");
                int outOff = r.i32("output_offset");
                long w = product(r, groupsAt, oc, perGroup(r, groupsAt, inShape.d1(), groups), fh, fw);
                var bias = r.ints(oc, "bias");
                return new QuantizedConv2dBody(in, out, inShape, groups, oc, ph, pw, fh, fw, sh, sw, dh, dw, inOff, fOff,
                        mul, shift, outOff, bias, r.bytes(w, "weights"));
            }
            case QUANTIZED_MATMUL: {
                MemoryRange a = r.memoryRange("input_a");
                MemoryRange b = r.memoryRange("input_b");
                MemoryRange o = r.memoryRange("output");
                int rows = r.count("a_rows");
                int cols = r.count("a_cols");
                int bCols = r.count("b_cols");
                return new QuantizedMatmulBody(a, b, o, rows, cols, bCols, r.i32("input_a_offset"),
                        r.i32("input_b_offset"), r.i32("output_mul"), r.i32("output_shift"), r.i32("output_offset"),
                        r.ints(bCols, "bias"));
            }
            case QUANTIZED_BINARY: {
                MemoryRange a = r.memoryRange("input_a");
                MemoryRange b = r.memoryRange("input_b");
                MemoryRange o = r.memoryRange("output");
                return new QuantizedBinaryBody(a, b, o, r.binaryOp("binary_op"), r.shape("in_a_shape"),
                        r.shape("in_b_shape"), r.shape("out_shape"), r.i32("input_a_offset"), r.i32("input_a_mul"),
                        r.i32("input_a_shift"), r.i32("input_b_offset"), r.i32("input_b_mul"), r.i32("input_b_shift"),
                        r.i32("output_offset"), r.i32("output_mul"), r.i32("output_shift"));
            }
            case TABLE_LOOKUP1D:
                return new TableLookup1dBody(r.memoryRange("input"), r.memoryRange("table"), r.memoryRange("output"));
            case CONV2D_TRANSPOSE: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 inShape = r.shape("in_shape");
                Shape4 outShape = r.shape("out_shape");
                long groupsAt = r.position();
                int groups = r.i32("groups");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                var act = r.valueRange("fused_activation");
                if (outShape.d1() < 0) {
                    throw r.error(groupsAt - 12, "out_shape[1]", "is negative (" + outShape.d1() + ")");
                }
                long w = product(r, groupsAt, outShape.d1(), perGroup(r, groupsAt, inShape.d1(), groups), fh, fw);
                return new Conv2dTransposeBody(in, out, inShape, outShape, groups, ph, pw, fh, fw, sh, sw, dh, dw, act,
                        r.floats(w, "weights"), r.floats(outShape.d1(), "bias"));
            }
            case NNIL_UNARY_METHOD: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                return new NnilUnaryMethodBody(in, out, Bytes.of(r.rawRest()));
            }
            case CPU_CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                long at = r.position();
                int oc = r.count("out_channels");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                var act = r.valueRange("fused_activation");
                long w = product(r, at, oc, nonNegative(r, at - 4, s.d3(), "in_shape[3]"), fh, fw);
                return new CpuConv2dBody(in, out, s, oc, ph, pw, fh, fw, sh, sw, dh, dw, act, r.floats(w, "weights"),
                        r.floats(oc, "bias"));
            }
            case CPU_DEPTHWISE_CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                long at = r.position();
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                var act = r.valueRange("fused_activation");
                int c = nonNegative(r, at - 4, s.d3(), "in_shape[3]");
                long w = product(r, at, c, fh, fw);
                return new CpuDepthwiseConv2dBody(in, out, s, ph, pw, fh, fw, sh, sw, dh, dw, act,
                        r.floats(w, "weights"), r.floats(c, "bias"));
            }
            case CPU_REDUCE_WINDOW2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                var rop = r.reduceOp("reduce_op");
                Shape4 s = r.shape("in_shape");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                return new CpuReduceWindow2dBody(in, out, rop, s, ph, pw, r.i32("filter_h"), r.i32("filter_w"),
                        r.i32("stride_h"), r.i32("stride_w"), r.i32("dilation_h"), r.i32("dilation_w"),
                        r.f32("init_value"), r.valueRange("fused_activation"));
            }
            case CPU_QUANTIZED_CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                long at = r.position();
                int oc = r.count("out_channels");
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                int inOff = r.i32("input_offset");
                int fOff = r.i32("filter_offset");
                int mul = r.i32("output_mul");
                int shift = r.i32("output_shift");
                int outOff = r.i32("output_offset");
                long w = product(r, at, oc, nonNegative(r, at - 4, s.d3(), "in_shape[3]"), fh, fw);
                var weights = r.bytes(w, "weights");
                return new CpuQuantizedConv2dBody(in, out, s, oc, ph, pw, fh, fw, sh, sw, dh, dw, inOff, fOff, mul, shift,
                        outOff, weights, r.ints(oc, "bias"));
            }
            case CPU_QUANTIZED_DEPTHWISE_CONV2D: {
                MemoryRange in = r.memoryRange("input");
                MemoryRange out = r.memoryRange("output");
                Shape4 s = r.shape("in_shape");
                long at = r.position();
                Padding ph = r.padding("padding_h");
                Padding pw = r.padding("padding_w");
                int fh = r.count("filter_h");
                int fw = r.count("filter_w");
                int sh = r.i32("stride_h");
                int sw = r.i32("stride_w");
                int dh = r.i32("dilation_h");
                int dw = r.i32("dilation_w");
                int inOff = r.i32("input_offset");
                int fOff = r.i32("filter_offset");
                int mul = r.i32("output_mul");
                int shift = r.i32("output_shift");
                int outOff = r.i32("output_offset");
                int c = nonNegative(r, at - 4, s.d3(), "in_shape[3]");
                long w = product(r, at, c, fh, fw);
                var weights = r.bytes(w, "weights");
                return new CpuQuantizedDepthwiseConv2dBody(in, out, s, ph, pw, fh, fw, sh, sw, dh, dw, inOff, fOff, mul,
                        shift, outOff, weights, r.ints(c, "bias"));
            }
            case KPU_UPLOAD:
                return new KpuUploadBody(r.memoryRange("input"), r.memoryRange("output"), r.shape("in_shape"));
            case KPU_CONV2D:
                return decodeKpuConv2d(r);
            default:
                throw new AssertionError(op);
        }
    }

    private static KpuConv2dBody decodeKpuConv2d(V4ByteReader r) throws KmodelFormatException {
        MemoryRange mainOut = r.memoryRange("main_mem_output");
        int batches = r.i32("batches");
        int reserved = r.i32("reserved0");
        Longs layer = r.longs(KpuConv2dBody.REGISTER_COUNT, "layer");
        // a provisional body gives the register-derived sizes (gaps, channel counts, kernel)
        long[] regs = layer.toArray();
        int oc = (int) ((regs[KpuConv2dBody.REG_IMAGE_CHANNEL_NUM] >>> 32) & 0x3FF) + 1;
        r.skip(regs[KpuConv2dBody.REG_KERNEL_POOL_TYPE_CFG] >>> 32,
                "gap before the BN table (kernel_pool_type_cfg.bwsx_base_addr)");
        Longs bn = r.longs(oc, "bn table");
        r.skip(regs[KpuConv2dBody.REG_KERNEL_CALC_TYPE_CFG] >>> 32,
                "gap before the activation table (kernel_calc_type_cfg.active_addr)");
        Bytes act = r.bytes(KpuConv2dBody.ACTIVATION_TABLE_BYTES, "activation table");
        r.skip(regs[KpuConv2dBody.REG_KERNEL_LOAD_CFG] >>> 32,
                "gap before the weights (kernel_load_cfg.para_start_addr)");
        KpuConv2dBody shapeOnly = new KpuConv2dBody(mainOut, batches, reserved, layer, bn, act, Bytes.of());
        Bytes weights = r.bytes(shapeOnly.expectedWeightBytes(), "weights");
        return new KpuConv2dBody(mainOut, batches, reserved, layer, bn, act, weights);
    }

    private static int perGroup(V4ByteReader r, long groupsAt, int channels, int groups) throws KmodelFormatException {
        if (groups <= 0) {
            throw r.error(groupsAt, "groups", "must be at least 1, is " + groups);
        }
        if (channels < 0) {
            throw r.error(groupsAt - 12, "in_shape[1]", "is negative (" + channels + ")");
        }
        return channels / groups;
    }

    private static int nonNegative(V4ByteReader r, long at, int v, String field) throws KmodelFormatException {
        if (v < 0) {
            throw r.error(at, field, "is negative (" + v + ")");
        }
        return v;
    }

    /** Product of non-negative factors; a product beyond 2^40 cannot fit any file and is reported. */
    private static long product(V4ByteReader r, long at, long... factors) throws KmodelFormatException {
        long p = 1;
        for (long f : factors) {
            if (f == 0) {
                return 0;
            }
        }
        for (long f : factors) {
            p *= f;
            if (p > (1L << 40)) {
                throw r.error(at, "weight count", "the shape fields ask for more than 2^40 weights");
            }
        }
        return p;
    }

    /** Writes one body (without the alignment padding that follows it). */
    static void encode(V4Body body, V4ByteWriter w) {
        if (body instanceof BinaryBody b) {
            w.memoryRange(b.inputA());
            w.memoryRange(b.inputB());
            w.memoryRange(b.output());
            w.u32(b.op().code());
            w.shape(b.inAShape());
            w.shape(b.inBShape());
            w.shape(b.outShape());
            w.valueRange(b.fusedActivation());
        } else if (body instanceof ConcatBody b) {
            w.memoryRange(b.output());
            w.u32(b.innerSize());
            w.u32(b.outerSize());
            w.u32(b.inputs().size());
            b.inputs().forEach(w::memoryRange);
            b.dims().forEach(w::i32);
        } else if (body instanceof Conv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.i32(b.groups());
            w.i32(b.outChannels());
            w.padding(b.paddingH());
            w.padding(b.paddingW());
            w.i32(b.filterH());
            w.i32(b.filterW());
            w.i32(b.strideH());
            w.i32(b.strideW());
            w.i32(b.dilationH());
            w.i32(b.dilationW());
            w.valueRange(b.fusedActivation());
            w.floats(b.weights());
            w.floats(b.bias());
        } else if (body instanceof DequantizeBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.quantParam(b.quantParam());
        } else if (body instanceof QuantizeBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.quantParam(b.quantParam());
        } else if (body instanceof MatmulBody b) {
            w.memoryRange(b.inputA());
            w.memoryRange(b.inputB());
            w.memoryRange(b.output());
            w.i32(b.aRows());
            w.i32(b.aCols());
            w.i32(b.bCols());
            w.valueRange(b.fusedActivation());
            w.floats(b.bias());
        } else if (body instanceof PadBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            b.paddings().forEach(w::padding);
            w.scalar(b.padValue());
        } else if (body instanceof ReduceBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.u32(b.op().code());
            w.shape(b.inShape());
            w.shape(b.outShape());
            w.f32(b.initValue());
        } else if (body instanceof ReduceWindow2dBody b) {
            encodeWindow(w, b.input(), b.output(), b.op().code(), b.inShape(), b.paddingH(), b.paddingW(), b.filterH(),
                    b.filterW(), b.strideH(), b.strideW(), b.dilationH(), b.dilationW(), b.initValue());
            w.valueRange(b.fusedActivation());
        } else if (body instanceof MemoryCopyBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
        } else if (body instanceof ResizeImageBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.i32(b.outH());
            w.i32(b.outW());
            w.u32(b.mode().code());
            w.u8(b.alignCorners() ? 1 : 0);
            w.u8(b.structPad());
            w.u8(b.structPad() >>> 8);
            w.u8(b.structPad() >>> 16);
        } else if (body instanceof SoftmaxBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.i32(b.innerSize());
            w.i32(b.outerSize());
            w.f32(b.beta());
        } else if (body instanceof TransposeBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.shape(b.perm());
        } else if (body instanceof StridedSliceBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.shape(b.begin());
            w.shape(b.end());
            w.shape(b.strides());
            w.i32(b.beginMask());
            w.i32(b.endMask());
            w.i32(b.ellipsisMask());
            w.i32(b.newAxisMask());
            w.i32(b.shrinkAxisMask());
        } else if (body instanceof UnaryBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.u32(b.op().code());
        } else if (body instanceof QuantizedConv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.i32(b.groups());
            w.i32(b.outChannels());
            w.padding(b.paddingH());
            w.padding(b.paddingW());
            w.i32(b.filterH());
            w.i32(b.filterW());
            w.i32(b.strideH());
            w.i32(b.strideW());
            w.i32(b.dilationH());
            w.i32(b.dilationW());
            w.i32(b.inputOffset());
            w.i32(b.filterOffset());
            w.i32(b.outputMul());
            w.i32(b.outputShift());
            w.i32(b.outputOffset());
            w.ints(b.bias());
            w.bytes(b.weights());
        } else if (body instanceof QuantizedMatmulBody b) {
            w.memoryRange(b.inputA());
            w.memoryRange(b.inputB());
            w.memoryRange(b.output());
            w.i32(b.aRows());
            w.i32(b.aCols());
            w.i32(b.bCols());
            w.i32(b.inputAOffset());
            w.i32(b.inputBOffset());
            w.i32(b.outputMul());
            w.i32(b.outputShift());
            w.i32(b.outputOffset());
            w.ints(b.bias());
        } else if (body instanceof QuantizedBinaryBody b) {
            w.memoryRange(b.inputA());
            w.memoryRange(b.inputB());
            w.memoryRange(b.output());
            w.u32(b.op().code());
            w.shape(b.inAShape());
            w.shape(b.inBShape());
            w.shape(b.outShape());
            w.i32(b.inputAOffset());
            w.i32(b.inputAMul());
            w.i32(b.inputAShift());
            w.i32(b.inputBOffset());
            w.i32(b.inputBMul());
            w.i32(b.inputBShift());
            w.i32(b.outputOffset());
            w.i32(b.outputMul());
            w.i32(b.outputShift());
        } else if (body instanceof TableLookup1dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.table());
            w.memoryRange(b.output());
        } else if (body instanceof Conv2dTransposeBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.shape(b.outShape());
            w.i32(b.groups());
            w.padding(b.paddingH());
            w.padding(b.paddingW());
            w.i32(b.filterH());
            w.i32(b.filterW());
            w.i32(b.strideH());
            w.i32(b.strideW());
            w.i32(b.dilationH());
            w.i32(b.dilationW());
            w.valueRange(b.fusedActivation());
            w.floats(b.weights());
            w.floats(b.bias());
        } else if (body instanceof NnilUnaryMethodBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.bytes(b.program());
        } else if (body instanceof CpuConv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.i32(b.outChannels());
            encodeCpuConvTail(w, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW());
            w.valueRange(b.fusedActivation());
            w.floats(b.weights());
            w.floats(b.bias());
        } else if (body instanceof CpuDepthwiseConv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            encodeCpuConvTail(w, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW());
            w.valueRange(b.fusedActivation());
            w.floats(b.weights());
            w.floats(b.bias());
        } else if (body instanceof CpuReduceWindow2dBody b) {
            encodeWindow(w, b.input(), b.output(), b.op().code(), b.inShape(), b.paddingH(), b.paddingW(), b.filterH(),
                    b.filterW(), b.strideH(), b.strideW(), b.dilationH(), b.dilationW(), b.initValue());
            w.valueRange(b.fusedActivation());
        } else if (body instanceof CpuQuantizedConv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            w.i32(b.outChannels());
            encodeCpuConvTail(w, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW());
            encodeQuantTail(w, b.inputOffset(), b.filterOffset(), b.outputMul(), b.outputShift(), b.outputOffset());
            w.bytes(b.weights());
            w.ints(b.bias());
        } else if (body instanceof CpuQuantizedDepthwiseConv2dBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
            encodeCpuConvTail(w, b.paddingH(), b.paddingW(), b.filterH(), b.filterW(), b.strideH(), b.strideW(),
                    b.dilationH(), b.dilationW());
            encodeQuantTail(w, b.inputOffset(), b.filterOffset(), b.outputMul(), b.outputShift(), b.outputOffset());
            w.bytes(b.weights());
            w.ints(b.bias());
        } else if (body instanceof KpuUploadBody b) {
            w.memoryRange(b.input());
            w.memoryRange(b.output());
            w.shape(b.inShape());
        } else if (body instanceof KpuConv2dBody b) {
            w.memoryRange(b.mainMemOutput());
            w.i32(b.batches());
            w.i32(b.reserved0());
            w.longs(b.layer());
            w.zeros(b.gapBn());
            w.longs(b.bnTable());
            w.zeros(b.gapActivation());
            w.bytes(b.activationTable());
            w.zeros(b.gapWeights());
            w.bytes(b.weights());
        } else {
            throw new AssertionError(body);
        }
    }

    private static void encodeWindow(V4ByteWriter w, MemoryRange in, MemoryRange out, int op, Shape4 s, Padding ph,
            Padding pw, int fh, int fw, int sh, int sw, int dh, int dw, float init) {
        w.memoryRange(in);
        w.memoryRange(out);
        w.u32(op);
        w.shape(s);
        w.padding(ph);
        w.padding(pw);
        w.i32(fh);
        w.i32(fw);
        w.i32(sh);
        w.i32(sw);
        w.i32(dh);
        w.i32(dw);
        w.f32(init);
    }

    private static void encodeCpuConvTail(V4ByteWriter w, Padding ph, Padding pw, int fh, int fw, int sh, int sw,
            int dh, int dw) {
        w.padding(ph);
        w.padding(pw);
        w.i32(fh);
        w.i32(fw);
        w.i32(sh);
        w.i32(sw);
        w.i32(dh);
        w.i32(dw);
    }

    private static void encodeQuantTail(V4ByteWriter w, int inOff, int fOff, int mul, int shift, int outOff) {
        w.i32(inOff);
        w.i32(fOff);
        w.i32(mul);
        w.i32(shift);
        w.i32(outOff);
    }
}

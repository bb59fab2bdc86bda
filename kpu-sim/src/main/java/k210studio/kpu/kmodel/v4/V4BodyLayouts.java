package k210studio.kpu.kmodel.v4;

import static k210studio.kpu.kmodel.layout.Fields.atLeast;
import static k210studio.kpu.kmodel.layout.Fields.bool8;
import static k210studio.kpu.kmodel.layout.Fields.count;
import static k210studio.kpu.kmodel.layout.Fields.countOf;
import static k210studio.kpu.kmodel.layout.Fields.f32;
import static k210studio.kpu.kmodel.layout.Fields.gap;
import static k210studio.kpu.kmodel.layout.Fields.i32;
import static k210studio.kpu.kmodel.layout.Fields.list;
import static k210studio.kpu.kmodel.layout.Fields.u32;
import static k210studio.kpu.kmodel.layout.Fields.unsigned;
import static k210studio.kpu.kmodel.layout.Sizer.fixed;
import static k210studio.kpu.kmodel.v4.V4Fields.binaryOp;
import static k210studio.kpu.kmodel.v4.V4Fields.bytes;
import static k210studio.kpu.kmodel.v4.V4Fields.floats;
import static k210studio.kpu.kmodel.v4.V4Fields.in;
import static k210studio.kpu.kmodel.v4.V4Fields.ints;
import static k210studio.kpu.kmodel.v4.V4Fields.longs;
import static k210studio.kpu.kmodel.v4.V4Fields.out;
import static k210studio.kpu.kmodel.v4.V4Fields.padding;
import static k210studio.kpu.kmodel.v4.V4Fields.quantParam;
import static k210studio.kpu.kmodel.v4.V4Fields.reduceOp;
import static k210studio.kpu.kmodel.v4.V4Fields.resizeMode;
import static k210studio.kpu.kmodel.v4.V4Fields.rest;
import static k210studio.kpu.kmodel.v4.V4Fields.scalar;
import static k210studio.kpu.kmodel.v4.V4Fields.shape;
import static k210studio.kpu.kmodel.v4.V4Fields.unaryOp;
import static k210studio.kpu.kmodel.v4.V4Fields.valueRange;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.Field;
import k210studio.kpu.kmodel.layout.FieldValue;
import k210studio.kpu.kmodel.layout.FieldValues;
import k210studio.kpu.kmodel.layout.Fields;
import k210studio.kpu.kmodel.layout.RecordLayout;
import k210studio.kpu.kmodel.layout.Role;
import k210studio.kpu.kmodel.layout.Sizer;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
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
 * The one table of V4 body layouts (kmodel-v4.md §6-§8): each opcode's fields declared once, in the
 * spec's order and with its names, types and value ranges; variable parts (weights, biases,
 * tables) sized from the fixed fields. The declarations read, write, range check, list the memory
 * ranges, feed {@code dump} and the field-aware fuzzer; each fills the opcode's typed record.
 */
public final class V4BodyLayouts {
    private static final Map<V4Opcode, RecordLayout<? extends V4Body>> TABLE = new EnumMap<>(V4Opcode.class);

    private V4BodyLayouts() {
    }

    static {
        declare(V4Opcode.BINARY, BinaryBody.class, in("input_a"), in("input_b"), out("output"), binaryOp("binary_op"),
                shape("in_a_shape"), shape("in_b_shape"), shape("out_shape"), valueRange("fused_activation"));
        declare(V4Opcode.CONCAT, ConcatBody.class, out("output"), u32("inner_size"), u32("outer_size"),
                countOf("inputs_count", "inputs", MemoryRange.BYTES + 4, "inputs"),
                list("inputs", in("input"), Sizer.of("inputs_count")), list("dims", i32("dim"), Sizer.of("inputs_count")));
        declare(V4Opcode.CONV2D, Conv2dBody.class, in("input"), out("output"), shape("in_shape"), atLeast("groups", 1),
                count("out_channels"), convWindow(), valueRange("fused_activation"),
                floats("weights", v -> weights(v, "groups", v.integer("out_channels"), perGroup(v), filter(v))),
                floats("bias", Sizer.of("out_channels")));
        declare(V4Opcode.DEQUANTIZE, DequantizeBody.class, in("input"), out("output"), quantParam("quant_param"));
        declare(V4Opcode.MATMUL, MatmulBody.class, in("input_a"), in("input_b"), out("output"), count("a_rows"),
                count("a_cols"), count("b_cols"), valueRange("fused_activation"), floats("bias", Sizer.of("b_cols")));
        declare(V4Opcode.PAD, PadBody.class, in("input"), out("output"), shape("in_shape"),
                list("paddings", padding("padding"), fixed(4)), scalar("pad_value"));
        declare(V4Opcode.QUANTIZE, QuantizeBody.class, in("input"), out("output"), quantParam("quant_param"));
        declare(V4Opcode.REDUCE, ReduceBody.class, in("input"), out("output"), reduceOp("reduce_op"), shape("in_shape"),
                shape("out_shape"), f32("init_value"));
        declare(V4Opcode.REDUCE_WINDOW2D, ReduceWindow2dBody.class, reduceWindow());
        declare(V4Opcode.MEMORY_COPY, MemoryCopyBody.class, in("input"), out("output"));
        declare(V4Opcode.RESIZE_IMAGE, ResizeImageBody.class, in("input"), out("output"), shape("in_shape"), i32("out_h"),
                i32("out_w"), resizeMode("mode"), bool8("align_corners"), unsigned("struct_pad", 3));
        declare(V4Opcode.SOFTMAX, SoftmaxBody.class, in("input"), out("output"), i32("inner_size"), i32("outer_size"),
                f32("beta"));
        declare(V4Opcode.TRANSPOSE, TransposeBody.class, in("input"), out("output"), shape("in_shape"), shape("perm"));
        declare(V4Opcode.STRIDED_SLICE, StridedSliceBody.class, in("input"), out("output"), shape("in_shape"),
                shape("begin"), shape("end"), shape("strides"), i32("begin_mask"), i32("end_mask"), i32("ellipsis_mask"),
                i32("new_axis_mask"), i32("shrink_axis_mask"));
        declare(V4Opcode.UNARY, UnaryBody.class, in("input"), out("output"), unaryOp("unary_op"));
        declare(V4Opcode.QUANTIZED_CONV2D, QuantizedConv2dBody.class, in("input"), out("output"), shape("in_shape"),
                atLeast("groups", 1), count("out_channels"), convWindow(), quantization(),
                ints("bias", Sizer.of("out_channels")),
                bytes("weights", v -> weights(v, "groups", v.integer("out_channels"), perGroup(v), filter(v))));
        declare(V4Opcode.QUANTIZED_MATMUL, QuantizedMatmulBody.class, in("input_a"), in("input_b"), out("output"),
                count("a_rows"), count("a_cols"), count("b_cols"), i32("input_a_offset"), i32("input_b_offset"),
                i32("output_mul"), i32("output_shift"), i32("output_offset"), ints("bias", Sizer.of("b_cols")));
        declare(V4Opcode.QUANTIZED_BINARY, QuantizedBinaryBody.class, in("input_a"), in("input_b"), out("output"),
                binaryOp("binary_op"), shape("in_a_shape"), shape("in_b_shape"), shape("out_shape"),
                i32("input_a_offset"), i32("input_a_mul"), i32("input_a_shift"), i32("input_b_offset"),
                i32("input_b_mul"), i32("input_b_shift"), i32("output_offset"), i32("output_mul"), i32("output_shift"));
        declare(V4Opcode.TABLE_LOOKUP1D, TableLookup1dBody.class, in("input"), in("table"), out("output"));
        declare(V4Opcode.CONV2D_TRANSPOSE, Conv2dTransposeBody.class, in("input"), out("output"), shape("in_shape"),
                shape("out_shape"), atLeast("groups", 1), convWindow(), valueRange("fused_activation"),
                floats("weights", v -> weights(v, "groups", nonNegative(v, "out_shape", 1), perGroup(v), filter(v))),
                floats("bias", v -> nonNegative(v, "out_shape", 1)));
        declare(V4Opcode.NNIL_UNARY_METHOD, NnilUnaryMethodBody.class, in("input"), out("output"), rest("program"));
        declare(V4Opcode.CPU_CONV2D, CpuConv2dBody.class, in("input"), out("output"), shape("in_shape"),
                count("out_channels"), convWindow(), valueRange("fused_activation"),
                floats("weights", v -> weights(v, "out_channels", v.integer("out_channels"), channels(v), filter(v))),
                floats("bias", Sizer.of("out_channels")));
        declare(V4Opcode.CPU_DEPTHWISE_CONV2D, CpuDepthwiseConv2dBody.class, in("input"), out("output"),
                shape("in_shape"), convWindow(), valueRange("fused_activation"),
                floats("weights", v -> weights(v, "padding_h", channels(v), filter(v))),
                floats("bias", V4BodyLayouts::channels));
        declare(V4Opcode.CPU_REDUCE_WINDOW2D, CpuReduceWindow2dBody.class, reduceWindow());
        declare(V4Opcode.CPU_QUANTIZED_CONV2D, CpuQuantizedConv2dBody.class, in("input"), out("output"),
                shape("in_shape"), count("out_channels"), convWindow(), quantization(),
                bytes("weights", v -> weights(v, "out_channels", v.integer("out_channels"), channels(v), filter(v))),
                ints("bias", Sizer.of("out_channels")));
        declare(V4Opcode.CPU_QUANTIZED_DEPTHWISE_CONV2D, CpuQuantizedDepthwiseConv2dBody.class, in("input"),
                out("output"), shape("in_shape"), convWindow(), quantization(),
                bytes("weights", v -> weights(v, "padding_h", channels(v), filter(v))),
                ints("bias", V4BodyLayouts::channels));
        declare(V4Opcode.KPU_UPLOAD, KpuUploadBody.class, in("input"), out("output"), shape("in_shape"));
        declare(V4Opcode.KPU_CONV2D, KpuConv2dBody.class, out("main_mem_output").optionalWhenEmpty(), i32("batches"),
                i32("reserved0"), longs("layer", fixed(KpuConv2dBody.REGISTER_COUNT)),
                gap("gap before the BN table (kernel_pool_type_cfg.bwsx_base_addr)",
                        v -> register(v, KpuConv2dBody.REG_KERNEL_POOL_TYPE_CFG) >>> 32),
                longs("bn table", v -> KpuConv2dBody.outputChannels(v.get("layer", Longs.class))),
                gap("gap before the activation table (kernel_calc_type_cfg.active_addr)",
                        v -> register(v, KpuConv2dBody.REG_KERNEL_CALC_TYPE_CFG) >>> 32),
                bytes("activation table", fixed(KpuConv2dBody.ACTIVATION_TABLE_BYTES)),
                gap("gap before the weights (kernel_load_cfg.para_start_addr)",
                        v -> register(v, KpuConv2dBody.REG_KERNEL_LOAD_CFG) >>> 32),
                bytes("weights", v -> KpuConv2dBody.expectedWeightBytes(v.get("layer", Longs.class))));
        if (TABLE.size() != V4Opcode.values().length) {
            throw new IllegalStateException("every V4 opcode needs a layout");
        }
    }

    /** Padding, filter and stride of the convolutions: filter sizes are counts (they size the weights). */
    private static List<Field<?>> convWindow() {
        return List.of(padding("padding_h"), padding("padding_w"), count("filter_h"), count("filter_w"),
                i32("stride_h"), i32("stride_w"), i32("dilation_h"), i32("dilation_w"));
    }

    /** The integer requantisation of the uint8 convolutions. */
    private static List<Field<?>> quantization() {
        return List.of(i32("input_offset"), i32("filter_offset"), i32("output_mul"), i32("output_shift"),
                i32("output_offset"));
    }

    /** reduce_window2d and cpu_reduce_window2d share this layout (NCHW and NHWC readings of it). */
    private static List<Field<?>> reduceWindow() {
        return List.of(in("input"), out("output"), reduceOp("reduce_op"), shape("in_shape"), padding("padding_h"),
                padding("padding_w"), i32("filter_h"), i32("filter_w"), i32("stride_h"), i32("stride_w"),
                i32("dilation_h"), i32("dilation_w"), f32("init_value"), valueRange("fused_activation"));
    }

    private static <B extends V4Body> void declare(V4Opcode op, Class<B> type, Object... parts) {
        TABLE.put(op, RecordLayout.of(type, Fields.sequence(parts)));
    }

    private static long register(FieldValues v, int index) {
        return v.get("layer", Longs.class).get(index);
    }

    private static long[] filter(FieldValues v) {
        return new long[] {v.integer("filter_h"), v.integer("filter_w")};
    }

    /** in_shape[1] / groups (NCHW input channels per group); in_shape[1] must not be negative. */
    private static long perGroup(FieldValues v) throws KmodelFormatException {
        return nonNegative(v, "in_shape", 1) / v.integer("groups");
    }

    /** in_shape[3], the channels of the NHWC CPU ops. */
    private static long channels(FieldValues v) throws KmodelFormatException {
        return nonNegative(v, "in_shape", 3);
    }

    private static long nonNegative(FieldValues v, String shape, int axis) throws KmodelFormatException {
        int d = v.get(shape, Shape4.class).get(axis);
        if (d < 0) {
            throw v.error(v.offset(shape) + 4L * axis, shape + "[" + axis + "]", "is negative (" + d + ")");
        }
        return d;
    }

    /** Product of non-negative factors; beyond 2^40 no file can hold the weights and the anchor field is named. */
    private static long weights(FieldValues v, String anchor, long first, Object... more) throws KmodelFormatException {
        List<Long> factors = new ArrayList<>();
        factors.add(first);
        for (Object m : more) {
            if (m instanceof long[] a) {
                for (long x : a) {
                    factors.add(x);
                }
            } else {
                factors.add((Long) m);
            }
        }
        if (factors.contains(0L)) {
            return 0;
        }
        long p = 1;
        for (long f : factors) {
            if (p > (1L << 40) / f) {
                throw v.error(v.offset(anchor), "weight count", "the shape fields ask for more than 2^40 weights");
            }
            p *= f;
        }
        return p;
    }

    /** The declaration of an opcode's body. */
    public static RecordLayout<? extends V4Body> of(V4Opcode op) {
        return TABLE.get(op);
    }

    /** Reads one body starting at the reader's position (the reader's limit is the body end). */
    static V4Body read(V4Opcode op, V4ByteReader r) throws KmodelFormatException {
        return TABLE.get(op).read(r, Map.of());
    }

    /**
     * Writes one body (without the alignment padding that follows it).
     *
     * @throws IllegalArgumentException naming the field when a value is outside its declared range
     */
    static void write(V4Body body, V4ByteWriter w) {
        TABLE.get(body.opcode()).writeAny(body, w, Map.of());
    }

    /** The body's stored values in file order, by record component (what {@code dump} prints). */
    public static List<FieldValue> values(V4Body body) {
        return valuesOf(TABLE.get(body.opcode()), body);
    }

    private static <B extends V4Body> List<FieldValue> valuesOf(RecordLayout<B> layout, V4Body body) {
        return layout.values(layout.type().cast(body));
    }

    /**
     * The memory ranges the body reads and writes, by field name: inputs first, then outputs, each
     * in file order; an optional range of size 0 is left out.
     */
    public static Map<String, MemoryRange> ranges(V4Body body) {
        Map<String, MemoryRange> ins = new LinkedHashMap<>();
        Map<String, MemoryRange> outs = new LinkedHashMap<>();
        for (FieldValue fv : values(body)) {
            Field<?> f = fv.field();
            Map<String, MemoryRange> m = f.role() == Role.OUTPUT ? outs : ins;
            if (f.role() == Role.NONE) {
                continue;
            }
            if (fv.value() instanceof MemoryRange r) {
                if (!(f.optional() && r.size() == 0)) {
                    m.put(f.name(), r);
                }
            } else if (fv.value() instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    m.put(f.name() + "[" + i + "]", (MemoryRange) l.get(i));
                }
            }
        }
        ins.putAll(outs);
        return ins;
    }
}

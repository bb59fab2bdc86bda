package k210studio.kpu.kmodel.v3;

import static k210studio.kpu.kmodel.layout.Fields.at;
import static k210studio.kpu.kmodel.layout.Fields.countOf;
import static k210studio.kpu.kmodel.layout.Fields.f32;
import static k210studio.kpu.kmodel.layout.Fields.f32s;
import static k210studio.kpu.kmodel.layout.Fields.i32;
import static k210studio.kpu.kmodel.layout.Fields.interleavedF32;
import static k210studio.kpu.kmodel.layout.Fields.list;
import static k210studio.kpu.kmodel.layout.Fields.pointer;
import static k210studio.kpu.kmodel.layout.Fields.struct;
import static k210studio.kpu.kmodel.layout.Fields.u32;
import static k210studio.kpu.kmodel.layout.Fields.u64s;
import static k210studio.kpu.kmodel.layout.Fields.u8s;
import static k210studio.kpu.kmodel.layout.Sizer.fixed;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.Field;
import k210studio.kpu.kmodel.layout.FieldValue;
import k210studio.kpu.kmodel.layout.FieldValues;
import k210studio.kpu.kmodel.layout.Fields;
import k210studio.kpu.kmodel.layout.RecordLayout;
import k210studio.kpu.kmodel.layout.Sizer;

/**
 * The one table of V3 layer body layouts (kmodel-v3.md §4-§5): each layer type's fields declared
 * once, in file order, every body starting with its u32 flags. The declarations read, write,
 * range check and feed {@code dump}; each fills the type's record. K210_CONV's sub-blocks are
 * found through their stored offsets and placed as nncase v0.1.0-rc5 places them (layer argument
 * 8-, weights and BN 128-, activation 256-aligned, absolute file offsets).
 */
public final class V3BodyLayouts {
    /** Parameter for sizers: true when the model stores 8-bit K210_CONV weights (header flags bit 0). */
    static final String EIGHT_BIT = "eight_bit";
    /** Parameter for sizers when reading: the file's length (a count beyond it cannot be real). */
    static final String FILE_BYTES = "file_bytes";

    private static final Map<V3LayerType, RecordLayout<? extends V3LayerBody>> TABLE =
            new EnumMap<>(V3LayerType.class);

    static final RecordLayout<V3Shape> SHAPE = RecordLayout.of(V3Shape.class, u32(".width"), u32(".height"),
            u32(".channels"));

    static final RecordLayout<V3MemoryRange> RANGE = RecordLayout.of(V3MemoryRange.class, u32(".start"),
            u32(".size"));

    private V3BodyLayouts() {
    }

    static {
        declare(V3LayerType.ADD, AddBody.class, u32("in_a"), u32("in_b"), u32("out"), u32("count"));
        declare(V3LayerType.QUANTIZED_ADD, QuantizedAddBody.class, u32("in_a"), u32("in_b"), u32("out"), u32("count"),
                i32("in_a_offset"), i32("in_a_mul"), i32("in_a_shift"), i32("in_b_offset"), i32("in_b_mul"),
                i32("in_b_shift"), i32("out_offset"), i32("out_mul"), i32("out_shift"));
        declare(V3LayerType.GLOBAL_AVERAGE_POOL2D, GlobalAveragePool2dBody.class, u32("in"), u32("out"),
                u32("kernel_size"), u32("channels"));
        declare(V3LayerType.MAX_POOL2D, MaxPool2dBody.class, pool(), act());
        declare(V3LayerType.QUANTIZED_MAX_POOL2D, QuantizedMaxPool2dBody.class, pool());
        declare(V3LayerType.AVERAGE_POOL2D, AveragePool2dBody.class, pool(), act());
        declare(V3LayerType.QUANTIZE, QuantizeBody.class, u32("in"), u32("mem_out_address").as("out"), u32("count"),
                f32("scale"), f32("bias"));
        declare(V3LayerType.DEQUANTIZE, DequantizeBody.class, u32("in"), u32("out"), u32("count"), f32("scale"),
                f32("bias"));
        declare(V3LayerType.REQUANTIZE, RequantizeBody.class, u32("in"), u32("out"), u32("count"),
                u8s("table", fixed(256)));
        declare(V3LayerType.L2_NORMALIZATION, L2NormalizationBody.class, inOutChannels());
        declare(V3LayerType.SOFTMAX, SoftmaxBody.class, inOutChannels());
        declare(V3LayerType.CONCAT, ConcatBody.class, concat());
        declare(V3LayerType.QUANTIZED_CONCAT, QuantizedConcatBody.class, concat());
        declare(V3LayerType.FULLY_CONNECTED, FullyConnectedBody.class, u32("in"), u32("out"), u32("in_channels"),
                u32("out_channels"), act(),
                f32s("weights", v -> fitting(v, "in_channels", 4) * fitting(v, "out_channels", 4)),
                f32s("biases", Sizer.of("out_channels")));
        declare(V3LayerType.TENSORFLOW_FLATTEN, TensorflowFlattenBody.class, u32("in"), u32("out"),
                struct("shape", SHAPE));
        declare(V3LayerType.RESIZE_NEAREST_NEIGHBOR, ResizeNearestNeighborBody.class, resize());
        declare(V3LayerType.QUANTIZED_RESIZE_NEAREST_NEIGHBOR, QuantizedResizeNearestNeighborBody.class, resize());
        declare(V3LayerType.CHANNELWISE_DEQUANTIZE, ChannelwiseDequantizeBody.class, u32("in"), u32("out"),
                u32("channels"), u32("channel_size"), interleavedF32("quant_args", Sizer.of("channels"),
                        List.of("scale", "bias"), List.of("scales", "biases")));
        declare(V3LayerType.LOGISTIC, LogisticBody.class, inOutChannels());
        declare(V3LayerType.K210_CONV, K210ConvBody.class, u32("main_mem_out_address"), pointer("layer_offset"),
                pointer("weights_offset"), pointer("bn_offset"), pointer("act_offset"),
                at("layer_offset", 8, u64s("layer_argument", fixed(K210ConvBody.LAYER_ARGUMENT_WORDS))
                        .check(V3BodyLayouts::kpuGeometry)),
                at("weights_offset", 128, u8s("weights", v -> probe(v).weightCount()
                        * (Boolean.TRUE.equals(v.param(EIGHT_BIT)) ? 1 : 2))),
                at("bn_offset", 128, u64s("batchnorm", v -> probe(v).outChannels()).as("batchNorm")),
                at("act_offset", 256, u64s("activation", fixed(K210ConvBody.ACTIVATION_WORDS))));
        declare(V3LayerType.K210_ADD_PADDING, K210AddPaddingBody.class, u32("in"), u32("kpu_out"), u32("channels"));
        declare(V3LayerType.K210_REMOVE_PADDING, K210RemovePaddingBody.class, inOutChannels());
        declare(V3LayerType.K210_UPLOAD, K210UploadBody.class, u32("in"), u32("kpu_out"), u32("width"), u32("height"),
                u32("channels"));
        for (V3LayerType t : V3LayerType.values()) {
            if (t.hasBody() != TABLE.containsKey(t)) {
                throw new IllegalStateException(t + ": a layout exactly for the types with a body");
            }
        }
    }

    private static List<Field<?>> inOutChannels() {
        return List.of(u32("in"), u32("out"), u32("channels"));
    }

    private static List<Field<?>> pool() {
        return List.of(u32("in"), u32("out"), struct("in_shape", SHAPE), struct("out_shape", SHAPE),
                u32("kernel_width"), u32("kernel_height"), u32("stride_width"), u32("stride_height"),
                u32("padding_width").as("padWidth"), u32("padding_height").as("padHeight"));
    }

    private static Field<?> act() {
        return u32("act").as("activation");
    }

    private static List<Field<?>> concat() {
        return List.of(u32("out"), countOf("input_count", "inputs", 8, "inputs"),
                list("inputs", struct("input", RANGE), Sizer.of("input_count")));
    }

    private static List<Field<?>> resize() {
        return List.of(u32("in"), u32("out"), struct("in_shape", SHAPE), u32("out_width"), u32("out_height"),
                i32("align_corners"));
    }

    private static void declare(V3LayerType type, Class<? extends V3LayerBody> body, Object... parts) {
        TABLE.put(type, RecordLayout.of(body, Fields.sequence(u32("flags"), List.of(parts))));
    }

    /** A u32 count of {@code unit}-byte entries, read from a file too short for it (their product must not overflow). */
    private static long fitting(FieldValues v, String field, int unit) throws KmodelFormatException {
        long n = v.integer(field);
        if (v.param(FILE_BYTES) instanceof Long file && n > file / unit) {
            throw v.error(v.offset(field), field, "is " + n + ", which cannot fit in a body of a " + file
                    + "-byte file");
        }
        return n;
    }

    private static K210ConvBody probe(long[] layerArgument) {
        return new K210ConvBody(0, 0, layerArgument, new byte[0], new long[0],
                new long[K210ConvBody.ACTIVATION_WORDS]);
    }

    private static K210ConvBody probe(FieldValues v) {
        return probe(v.get("layer_argument", long[].class));
    }

    /** The register image must describe a kernel the KPU has and, when depthwise, C_in = C_out. */
    private static void kpuGeometry(long[] regs, FieldValues v, long at, String path) throws KmodelFormatException {
        K210ConvBody probe = probe(regs);
        if (probe.kernelSize() == 0) {
            throw v.error(at + 32, "kernel_pool_type_cfg.kernel_type", "is " + probe.kernelType()
                    + "; the KPU supports 0 (1x1) and 1 (3x3)");
        }
        if (probe.depthwise() && probe.inChannels() != probe.outChannels()) {
            throw v.error(at + 16, "image_channel_num", "depthwise layer with " + probe.inChannels() + " input and "
                    + probe.outChannels() + " output channels; they must be equal");
        }
    }

    /** The declaration of a layer type's body (null for the types without one). */
    public static RecordLayout<? extends V3LayerBody> of(V3LayerType type) {
        return TABLE.get(type);
    }

    static V3LayerBody read(V3LayerType type, ByteCursor c, boolean eightBit) throws KmodelFormatException {
        return TABLE.get(type).read(c, Map.of(EIGHT_BIT, eightBit, FILE_BYTES, (long) c.fileLength()));
    }

    /** @throws IllegalArgumentException naming the field when a value is outside its declared range */
    static void write(V3LayerBody body, LeBuffer o, boolean eightBit) {
        TABLE.get(body.type()).writeAny(body, o, Map.of(EIGHT_BIT, eightBit));
    }

    /** The body's stored values in file order, by record component (what {@code dump} prints). */
    public static List<FieldValue> values(V3LayerBody body) {
        return valuesOf(TABLE.get(body.type()), body);
    }

    private static <B extends V3LayerBody> List<FieldValue> valuesOf(RecordLayout<B> layout, V3LayerBody body) {
        return layout.values(layout.type().cast(body));
    }
}

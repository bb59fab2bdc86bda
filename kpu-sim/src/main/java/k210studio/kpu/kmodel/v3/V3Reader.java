package k210studio.kpu.kmodel.v3;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * Parses kmodel V3 bytes into an immutable {@link V3Model} (kmodel-v3.md §2–§5).
 *
 * <p>Checks: version 3, arch 0, the output table and layer headers inside the file, every layer
 * code known and with a body layout, every body at least as large as its type needs and inside
 * the file, K210_CONV sub-blocks inside their body and sized from the registers (kernel_type 0 or
 * 1, depthwise needs C_in = C_out), no bytes after the declared end. The last body may lack 0..7
 * trailing padding bytes (nncase rc5 never writes them); its content must be complete. Every size
 * is checked against the file length before anything is allocated. Any violation is a
 * {@link KmodelFormatException} naming the offset and the field.
 */
public final class V3Reader {
    /** Size of the fixed header. */
    public static final int HEADER_BYTES = 28;

    private V3Reader() {
    }

    public static V3Model read(byte[] bytes) throws KmodelFormatException {
        ByteCursor c = new ByteCursor(bytes);
        int len = bytes.length;
        if (len == 0) {
            throw new KmodelFormatException(0, "header", "the file is empty; a kmodel V3 starts with a 28-byte header");
        }
        if (len < HEADER_BYTES) {
            throw new KmodelFormatException(0, "header", "the file has " + len
                    + " bytes, fewer than the 28-byte kmodel V3 header (truncated file)");
        }
        c.seek(0, len, "header ");
        long version = c.u32("version");
        if (version != 3) {
            throw new KmodelFormatException(0, "header version", "is " + version + " (0x" + Long.toHexString(version)
                    + "), not 3; this reader only takes kmodel V3 (use KmodelFiles.read for V4 files)");
        }
        long flags = c.u32("flags");
        long arch = c.u32("arch");
        if (arch != 0) {
            throw new KmodelFormatException(8, "header arch", "is " + arch + "; kmodel V3 requires 0 (K210)");
        }
        long layerCount = c.u32("layers_length");
        long maxStart = c.u32("max_start_address");
        long mainMem = c.u32("main_mem_usage");
        long outputCount = c.u32("output_count");
        if (layerCount == 0) {
            throw new KmodelFormatException(12, "header layers_length", "is 0; a model needs at least one layer");
        }
        long tablesEnd = HEADER_BYTES + 8 * outputCount + 8 * layerCount;
        if (tablesEnd > len) {
            throw new KmodelFormatException(12, "header layers_length/output_count", "declare " + outputCount
                    + " outputs and " + layerCount + " layers whose tables end at " + tablesEnd
                    + ", past the end of the file (" + len + " bytes)");
        }
        List<V3Output> outputs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            c.seek(HEADER_BYTES + 8L * i, len, "output[" + i + "] ");
            outputs.add(new V3Output(c.u32("address"), c.u32("size")));
        }
        long headers = HEADER_BYTES + 8 * outputCount;
        boolean eightBit = (flags & 1) != 0;
        List<V3Layer> layers = new ArrayList<>();
        long pos = tablesEnd;
        for (int i = 0; i < layerCount; i++) {
            long h = headers + 8L * i;
            c.seek(h, len, "layer " + i + " header ");
            long code = c.u32("type");
            long bodySize = c.u32("body_size");
            V3LayerType type = V3LayerType.ofCode(code);
            if (type == null) {
                throw new KmodelFormatException(h, "layer " + i + " type", "unknown layer type code " + code
                        + " (known: 1..25 and 10240..10243)");
            }
            if (!type.hasBody()) {
                throw new KmodelFormatException(h, "layer " + i + " type", "layer type " + type + " (code " + code
                        + ") has no body layout and is not executed by the K210 SDK runtime");
            }
            boolean last = i == layerCount - 1;
            long end = pos + bodySize;
            if (end > len && !(last && end - len <= 7)) {
                throw new KmodelFormatException(h + 4, "layer " + i + " (" + type + ") body_size",
                        "body at " + pos + " of " + bodySize + " bytes ends at " + end + ", past the end of the file ("
                                + len + " bytes)" + (last ? " by more than the 7 padding bytes a writer may omit" : "")
                                + "; the file is truncated or body_size is corrupt");
            }
            c.seek(pos, end, "layer " + i + " (" + type + ") ");
            V3LayerBody body = readBody(c, type, pos, end, eightBit);
            layers.add(new V3Layer(body, bodySize));
            pos = end;
        }
        if (len > pos) {
            throw new KmodelFormatException(pos, "file end", (len - pos) + " bytes follow the last layer body, which"
                    + " ends at " + pos + "; the file is corrupt or a body_size is wrong");
        }
        int missing = (int) (pos - len);
        return new V3Model(flags, maxStart, mainMem, outputs, layers, missing);
    }

    private static V3Shape shape(ByteCursor c, String name) throws KmodelFormatException {
        return new V3Shape(c.u32(name + ".width"), c.u32(name + ".height"), c.u32(name + ".channels"));
    }

    private static void bound(ByteCursor c, long value, long max, String field) throws KmodelFormatException {
        if (value > max) {
            throw c.error(c.position() - 4, field, "is " + value + ", which cannot fit in a body of a "
                    + c.length() + "-byte file");
        }
    }

    static V3LayerBody readBody(ByteCursor c, V3LayerType type, long start, long end, boolean eightBit)
            throws KmodelFormatException {
        long flags = c.u32("flags");
        switch (type) {
            case ADD:
                return new AddBody(flags, c.u32("in_a"), c.u32("in_b"), c.u32("out"), c.u32("count"));
            case QUANTIZED_ADD:
                return new QuantizedAddBody(flags, c.u32("in_a"), c.u32("in_b"), c.u32("out"), c.u32("count"),
                        c.i32("in_a_offset"), c.i32("in_a_mul"), c.i32("in_a_shift"), c.i32("in_b_offset"),
                        c.i32("in_b_mul"), c.i32("in_b_shift"), c.i32("out_offset"), c.i32("out_mul"),
                        c.i32("out_shift"));
            case GLOBAL_AVERAGE_POOL2D:
                return new GlobalAveragePool2dBody(flags, c.u32("in"), c.u32("out"), c.u32("kernel_size"),
                        c.u32("channels"));
            case MAX_POOL2D:
                return new MaxPool2dBody(flags, c.u32("in"), c.u32("out"), shape(c, "in_shape"), shape(c, "out_shape"),
                        c.u32("kernel_width"), c.u32("kernel_height"), c.u32("stride_width"), c.u32("stride_height"),
                        c.u32("padding_width"), c.u32("padding_height"), c.u32("act"));
            case AVERAGE_POOL2D:
                return new AveragePool2dBody(flags, c.u32("in"), c.u32("out"), shape(c, "in_shape"),
                        shape(c, "out_shape"), c.u32("kernel_width"), c.u32("kernel_height"), c.u32("stride_width"),
                        c.u32("stride_height"), c.u32("padding_width"), c.u32("padding_height"), c.u32("act"));
            case QUANTIZED_MAX_POOL2D:
                return new QuantizedMaxPool2dBody(flags, c.u32("in"), c.u32("out"), shape(c, "in_shape"),
                        shape(c, "out_shape"), c.u32("kernel_width"), c.u32("kernel_height"), c.u32("stride_width"),
                        c.u32("stride_height"), c.u32("padding_width"), c.u32("padding_height"));
            case QUANTIZE:
                return new QuantizeBody(flags, c.u32("in"), c.u32("mem_out_address"), c.u32("count"),
                        c.f32("scale"), c.f32("bias"));
            case DEQUANTIZE:
                return new DequantizeBody(flags, c.u32("in"), c.u32("out"), c.u32("count"), c.f32("scale"),
                        c.f32("bias"));
            case REQUANTIZE:
                return new RequantizeBody(flags, c.u32("in"), c.u32("out"), c.u32("count"), c.bytes(256, "table"));
            case L2_NORMALIZATION:
                return new L2NormalizationBody(flags, c.u32("in"), c.u32("out"), c.u32("channels"));
            case SOFTMAX:
                return new SoftmaxBody(flags, c.u32("in"), c.u32("out"), c.u32("channels"));
            case LOGISTIC:
                return new LogisticBody(flags, c.u32("in"), c.u32("out"), c.u32("channels"));
            case CONCAT:
            case QUANTIZED_CONCAT: {
                long out = c.u32("out");
                long n = c.u32("input_count");
                bound(c, n, c.length() / 8, "input_count");
                c.need(8 * n, "inputs");
                List<V3MemoryRange> ranges = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    ranges.add(new V3MemoryRange(c.u32("inputs[" + k + "].start"), c.u32("inputs[" + k + "].size")));
                }
                return type == V3LayerType.CONCAT ? new ConcatBody(flags, out, ranges)
                        : new QuantizedConcatBody(flags, out, ranges);
            }
            case FULLY_CONNECTED: {
                long in = c.u32("in");
                long out = c.u32("out");
                long ic = c.u32("in_channels");
                bound(c, ic, c.length() / 4, "in_channels");
                long oc = c.u32("out_channels");
                bound(c, oc, c.length() / 4, "out_channels");
                long act = c.u32("act");
                c.need(4 * (ic * oc + oc), "weights");
                return new FullyConnectedBody(flags, in, out, ic, oc, act, c.f32s(ic * oc, "weights"),
                        c.f32s(oc, "biases"));
            }
            case TENSORFLOW_FLATTEN:
                return new TensorflowFlattenBody(flags, c.u32("in"), c.u32("out"), shape(c, "shape"));
            case RESIZE_NEAREST_NEIGHBOR:
                return new ResizeNearestNeighborBody(flags, c.u32("in"), c.u32("out"), shape(c, "in_shape"),
                        c.u32("out_width"), c.u32("out_height"), c.i32("align_corners"));
            case QUANTIZED_RESIZE_NEAREST_NEIGHBOR:
                return new QuantizedResizeNearestNeighborBody(flags, c.u32("in"), c.u32("out"), shape(c, "in_shape"),
                        c.u32("out_width"), c.u32("out_height"), c.i32("align_corners"));
            case CHANNELWISE_DEQUANTIZE: {
                long in = c.u32("in");
                long out = c.u32("out");
                long ch = c.u32("channels");
                bound(c, ch, c.length() / 8, "channels");
                long chSize = c.u32("channel_size");
                c.need(8 * ch, "quant_args");
                float[] s = new float[(int) ch];
                float[] b = new float[(int) ch];
                for (int k = 0; k < ch; k++) {
                    s[k] = c.f32("quant_args[" + k + "].scale");
                    b[k] = c.f32("quant_args[" + k + "].bias");
                }
                return new ChannelwiseDequantizeBody(flags, in, out, ch, chSize, s, b);
            }
            case K210_ADD_PADDING:
                return new K210AddPaddingBody(flags, c.u32("in"), c.u32("kpu_out"), c.u32("channels"));
            case K210_REMOVE_PADDING:
                return new K210RemovePaddingBody(flags, c.u32("in"), c.u32("out"), c.u32("channels"));
            case K210_UPLOAD:
                return new K210UploadBody(flags, c.u32("in"), c.u32("kpu_out"), c.u32("width"), c.u32("height"),
                        c.u32("channels"));
            case K210_CONV:
                return readConv(c, flags, start, end, eightBit);
            default:
                throw c.error(start, "type", "layer type " + type + " has no body layout");
        }
    }


    private static void seekSub(ByteCursor c, String ctx, long at, long bytes, long start, long end, long fieldOffset,
                                String field) throws KmodelFormatException {
        long limit = Math.min(end, c.length());
        if (at < start + K210ConvBody.HEAD_BYTES || at + bytes > limit) {
            throw new KmodelFormatException(fieldOffset, ctx + field, "points to " + at + ".." + (at + bytes)
                    + ", outside the layer body " + (start + K210ConvBody.HEAD_BYTES) + ".." + limit);
        }
        c.seek(at, limit, ctx);
    }

    private static K210ConvBody readConv(ByteCursor c, long flags, long start, long end, boolean eightBit)
            throws KmodelFormatException {
        String ctx = c.context();
        long mainOut = c.u32("main_mem_out_address");
        long layerOff = c.u32("layer_offset");
        long weightsOff = c.u32("weights_offset");
        long bnOff = c.u32("bn_offset");
        long actOff = c.u32("act_offset");
        seekSub(c, ctx, layerOff, 96, start, end, start + 8, "layer_offset");
        long[] regs = c.u64s(12, "layer_argument");
        long[] act;
        long[] bn;
        byte[] weights;
        K210ConvBody probe = new K210ConvBody(flags, mainOut, regs, new byte[0], new long[0], new long[18]);
        if (probe.kernelSize() == 0) {
            throw new KmodelFormatException(layerOff + 32, ctx + "kernel_pool_type_cfg.kernel_type", "is "
                    + probe.kernelType() + "; the KPU supports 0 (1x1) and 1 (3x3)");
        }
        if (probe.depthwise() && probe.inChannels() != probe.outChannels()) {
            throw new KmodelFormatException(layerOff + 16, ctx + "image_channel_num", "depthwise layer with "
                    + probe.inChannels() + " input and " + probe.outChannels() + " output channels; they must be equal");
        }
        long wBytes = probe.weightCount() * (eightBit ? 1 : 2);
        seekSub(c, ctx, weightsOff, wBytes, start, end, start + 12, "weights_offset");
        weights = c.bytes(wBytes, "weights");
        seekSub(c, ctx, bnOff, 8L * probe.outChannels(), start, end, start + 16, "bn_offset");
        bn = c.u64s(probe.outChannels(), "batchnorm");
        seekSub(c, ctx, actOff, 144, start, end, start + 20, "act_offset");
        act = c.u64s(18, "activation");
        return new K210ConvBody(flags, mainOut, regs, weights, bn, act);
    }
}

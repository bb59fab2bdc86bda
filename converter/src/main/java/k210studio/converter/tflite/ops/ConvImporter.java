package k210studio.converter.tflite.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.Conv2DOptions;
import k210studio.converter.tflite.schema.DepthwiseConv2DOptions;
import k210studio.converter.tflite.schema.TransposeConvOptions;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.Tensor;

/**
 * CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV. TFLite filters are OHWI ([out, kh, kw, in]);
 * the catalog keeps Keras layouts: Conv2D HWIO, DepthwiseConv2D [kh, kw, in, multiplier]
 * (the same bytes as TFLite's [1, kh, kw, in·multiplier]), Conv2DTranspose [kh, kw, out, in].
 * 'same'/'valid' stay as they are: the catalog computes TF's exact padding split.
 */
public final class ConvImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.TRANSPOSE_CONV};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        switch (op.code()) {
            case BuiltinOperator.CONV_2D: conv(op, ctx); break;
            case BuiltinOperator.DEPTHWISE_CONV_2D: depthwise(op, ctx); break;
            default: transposed(op, ctx); break;
        }
    }

    private static Conv2DOptions convOptions(TfliteOp op) throws TfliteFormatException, UnsupportedOpException {
        Conv2DOptions o = op.table().options(BuiltinOptionsType.CONV_2D, Conv2DOptions::new);
        if (o == null) {
            throw new UnsupportedOpException(op.label() + " has no options (strides and padding are missing)");
        }
        return o;
    }

    private void conv(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        int[] in = image(op, ctx.inputShape(op, 0));
        ConstTensor w = ctx.requireConstant(op, 1, "filter");
        ConstTensor b = ctx.optionalConstant(op, 2, "bias");
        if (w.shape().length != 4) {
            throw new UnsupportedOpException(op.label() + ": filter shape " + java.util.Arrays.toString(w.shape()) + " is not 4-D");
        }
        int o = w.shape()[0], kh = w.shape()[1], kw = w.shape()[2], ci = w.shape()[3];
        if (ci != in[2]) {
            throw new UnsupportedOpException(op.label() + ": the filter has " + ci + " input channels but the input has "
                    + in[2] + (in[2] % ci == 0 ? " (a grouped convolution, not in the layer catalog)" : ""));
        }
        Conv2DOptions opt = convOptions(op);
        ActivationFn act = ImportContext.fusedFn(op, opt.fusedActivation());
        Padding pad = ImportContext.padding(op, opt.padding());
        Conv2D p;
        try {
            p = new Conv2D(o, kh, kw, opt.strideH(), opt.strideW(), pad, opt.dilationH(), opt.dilationW(), b != null, act);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("kernel", new Tensor(new int[] {kh, kw, ci, o}, fromOhwi(w.values(), o, kh, kw, ci, false)));
        if (b != null) {
            weights.put("bias", bias(op, b, o));
        }
        String id = ctx.addLayer(op, p, weights, ctx.notes(op, "1", "kernel", "2", "bias"), x);
        ctx.bindOutput(op, id);
    }

    private void depthwise(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        int[] in = image(op, ctx.inputShape(op, 0));
        ConstTensor w = ctx.requireConstant(op, 1, "filter");
        ConstTensor b = ctx.optionalConstant(op, 2, "bias");
        if (w.shape().length != 4 || w.shape()[0] != 1) {
            throw new UnsupportedOpException(op.label() + ": depthwise filter shape " + java.util.Arrays.toString(w.shape())
                    + " is not [1, kh, kw, channels]");
        }
        int kh = w.shape()[1], kw = w.shape()[2], co = w.shape()[3];
        int cin = in[2];
        if (co % cin != 0) {
            throw new UnsupportedOpException(op.label() + ": " + co + " output channels are not a multiple of the "
                    + cin + " input channels");
        }
        int m = co / cin;
        DepthwiseConv2DOptions opt = op.table().options(BuiltinOptionsType.DEPTHWISE_CONV_2D, DepthwiseConv2DOptions::new);
        if (opt == null) {
            throw new UnsupportedOpException(op.label() + " has no options (strides and padding are missing)");
        }
        if (opt.depthMultiplier() != 0 && opt.depthMultiplier() != m) {
            ctx.diagnostic(k210studio.converter.tflite.ImportDiagnostic.info("depth-multiplier",
                    op.label() + " declares depth_multiplier " + opt.depthMultiplier() + " but its filter gives " + m
                            + "; the filter shape was used (as TFLite does)"));
        }
        ActivationFn act = ImportContext.fusedFn(op, opt.fusedActivation());
        DepthwiseConv2D p;
        try {
            p = new DepthwiseConv2D(kh, kw, opt.strideH(), opt.strideW(), ImportContext.padding(op, opt.padding()), m,
                    opt.dilationH(), opt.dilationW(), b != null, act);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("depthwise_kernel", new Tensor(new int[] {kh, kw, cin, m}, w.values().clone()));
        if (b != null) {
            weights.put("bias", bias(op, b, co));
        }
        String id = ctx.addLayer(op, p, weights, ctx.notes(op, "1", "kernel", "2", "bias"), x);
        ctx.bindOutput(op, id);
    }

    private void transposed(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        ConstTensor outShape = ctx.requireConstant(op, 0, "output shape");
        ConstTensor w = ctx.requireConstant(op, 1, "filter");
        String x = ctx.activation(op, 2);
        int[] in = image(op, ctx.inputShape(op, 2));
        ConstTensor b = ctx.optionalConstant(op, 3, "bias");
        if (w.shape().length != 4) {
            throw new UnsupportedOpException(op.label() + ": filter shape " + java.util.Arrays.toString(w.shape()) + " is not 4-D");
        }
        int o = w.shape()[0], kh = w.shape()[1], kw = w.shape()[2], ci = w.shape()[3];
        if (ci != in[2]) {
            throw new UnsupportedOpException(op.label() + ": the filter has " + ci + " input channels but the input has " + in[2]);
        }
        TransposeConvOptions opt = op.table().options(BuiltinOptionsType.TRANSPOSE_CONV, TransposeConvOptions::new);
        if (opt == null) {
            throw new UnsupportedOpException(op.label() + " has no options (strides and padding are missing)");
        }
        Padding pad = ImportContext.padding(op, opt.padding());
        Conv2DTranspose p;
        try {
            p = new Conv2DTranspose(o, kh, kw, opt.strideH(), opt.strideW(), pad, b != null,
                    ImportContext.fusedFn(op, opt.fusedActivation()));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
        }
        int[] os = outShape.intValues();
        int eh = ConvGeometry.transposedOut(in[0], kh, opt.strideH(), pad);
        int ew = ConvGeometry.transposedOut(in[1], kw, opt.strideW(), pad);
        if (os.length != 4 || os[1] != eh || os[2] != ew || os[3] != o) {
            throw new UnsupportedOpException(op.label() + ": the requested output shape " + java.util.Arrays.toString(os)
                    + " differs from Keras' Conv2DTranspose output " + eh + "×" + ew + "×" + o
                    + " (output_padding is not in the layer catalog)");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("kernel", new Tensor(new int[] {kh, kw, o, ci}, fromOhwi(w.values(), o, kh, kw, ci, true)));
        if (b != null) {
            weights.put("bias", bias(op, b, o));
        }
        String id = ctx.addLayer(op, p, weights, ctx.notes(op, "1", "kernel", "3", "bias"), x);
        ctx.bindOutput(op, id);
    }

    /**
     * TFLite's OHWI filter as Keras' HWIO kernel (Conv2D) or, {@code outputBeforeInput}, as HW·O·I (Conv2DTranspose,
     * whose Keras kernel is [kh, kw, filters, in]).
     */
    private static float[] fromOhwi(float[] src, int o, int kh, int kw, int ci, boolean outputBeforeInput) {
        float[] k = new float[src.length];
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int ic = 0; ic < ci; ic++) {
                        int at = outputBeforeInput ? ((y * kw + xx) * o + oc) * ci + ic : ((y * kw + xx) * ci + ic) * o + oc;
                        k[at] = src[((oc * kh + y) * kw + xx) * ci + ic];
                    }
                }
            }
        }
        return k;
    }

    static int[] image(TfliteOp op, int[] shape) throws UnsupportedOpException {
        if (shape.length != 3) {
            throw new UnsupportedOpException(op.label() + " needs an NHWC image input, got a tensor of rank " + (shape.length + 1));
        }
        return shape;
    }

    static Tensor bias(TfliteOp op, ConstTensor b, int n) throws UnsupportedOpException {
        if (b.size() != n) {
            throw new UnsupportedOpException(op.label() + ": the bias has " + b.size() + " values for " + n + " channels");
        }
        return new Tensor(new int[] {n}, b.values().clone());
    }
}

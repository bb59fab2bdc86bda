package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.Tensor;

/**
 * PAD / PADV2 (value 0) of an NHWC tensor. Spatial padding → ZeroPadding2D (what Keras' ZeroPadding2D becomes).
 * Channel padding — BlazeFace-style residual blocks pad the shortcut's channels with zeros to the width of the branch
 * before the Add — → a 1×1 Conv2D whose weights copy each input channel and write zeros to the new ones: the same
 * numbers, and a layer the KPU runs (nncase 0.2 would run a CPU pad). Padding the batch axis is refused.
 */
public final class PadImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.PAD, BuiltinOperator.PADV2};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException {
        String x = ctx.activation(op, 0);
        ConvImporter.image(op, ctx.inputShape(op, 0));
        int[] p = ctx.requireConstant(op, 1, "paddings").intValues();
        if (p.length != 8) {
            throw new UnsupportedOpException(op.label() + ": paddings must be [4, 2] for an NHWC tensor, got "
                    + p.length + " values");
        }
        if (p[0] != 0 || p[1] != 0) {
            throw new UnsupportedOpException(op.label() + " pads the batch axis " + java.util.Arrays.toString(p)
                    + "; only spatial (ZeroPadding2D) and channel padding are supported");
        }
        if (p[6] < 0 || p[7] < 0) {
            throw new UnsupportedOpException(op.label() + ": negative channel padding " + p[6] + ", " + p[7]);
        }
        if (op.code() == BuiltinOperator.PADV2 && op.input(2) >= 0) {
            ConstTensor v = ctx.requireConstant(op, 2, "padding value");
            int zp = 0;
            var t = ctx.tensor(op.input(0));
            if (t.quant() != null) {
                zp = (int) t.quant().zeroPoint(0);
            }
            for (float f : v.values()) {
                if (f != 0f && !(v.isInteger() && f == zp)) {
                    throw new UnsupportedOpException(op.label() + " pads with the value " + f + "; only zero padding is supported");
                }
            }
        }
        boolean spatial = p[2] != 0 || p[3] != 0 || p[4] != 0 || p[5] != 0;
        boolean channels = p[6] != 0 || p[7] != 0;
        String out = x;
        if (spatial || !channels) {
            ZeroPadding2D z;
            try {
                z = new ZeroPadding2D(p[2], p[3], p[4], p[5]);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
            }
            out = ctx.addLayer(op, z, Map.of(), ctx.notes(op), out);
        }
        if (channels) {
            int c = ctx.inputShape(op, 0)[2];
            Map<String, String> notes = new java.util.LinkedHashMap<>(ctx.notes(op));
            notes.put("channel padding", p[6] + " zero channel(s) before and " + p[7] + " after the " + c
                    + " input channels, as a 1×1 convolution that copies them");
            out = ctx.addLayer(op, new Conv2D(c + p[6] + p[7], 1, 1, 1, 1, Padding.VALID, 1, 1, false, ActivationFn.LINEAR),
                    Map.of("kernel", channelPadKernel(c, p[6], p[7])), notes, out);
        }
        ctx.bindOutput(op, out);
    }

    /** HWIO [1, 1, c, before + c + after]: input channel i → output channel before + i, the others 0. */
    static Tensor channelPadKernel(int c, int before, int after) {
        int outC = before + c + after;
        float[] w = new float[c * outC];
        for (int i = 0; i < c; i++) {
            w[i * outC + before + i] = 1f;
        }
        return new Tensor(new int[] {1, 1, c, outC}, w);
    }
}

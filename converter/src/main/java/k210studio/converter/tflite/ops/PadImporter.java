package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.ir.layer.ZeroPadding2D;

/** PAD / PADV2 (value 0) of the spatial axes → ZeroPadding2D (what Keras' ZeroPadding2D becomes). */
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
        if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) {
            throw new UnsupportedOpException(op.label() + " pads the batch or channel axis " + java.util.Arrays.toString(p)
                    + "; only spatial padding (ZeroPadding2D) is supported");
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
        ZeroPadding2D z;
        try {
            z = new ZeroPadding2D(p[2], p[3], p[4], p[5]);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
        }
        ctx.bindOutput(op, ctx.addLayer(op, z, Map.of(), ctx.notes(op), x));
    }
}

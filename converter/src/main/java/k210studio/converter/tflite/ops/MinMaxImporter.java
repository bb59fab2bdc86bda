package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.ir.layer.ReLU;

/**
 * MAXIMUM / MINIMUM with a constant, the clipping some converters emit instead of RELU/RELU6:
 * max(x, 0) → ReLU; min(x, c) with c ≥ 0 → ReLU(max_value c, negative_slope 1), which passes
 * values below c unchanged and clips the rest, exactly.
 */
public final class MinMaxImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.MAXIMUM, BuiltinOperator.MINIMUM};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException {
        boolean c0 = ctx.isConstant(op.input(0));
        boolean c1 = ctx.isConstant(op.input(1));
        if (c0 == c1) {
            throw new UnsupportedOpException(op.label() + " needs one computed input and one constant; the layer catalog "
                    + "has no element-wise maximum/minimum of two tensors");
        }
        int xp = c0 ? 1 : 0;
        String x = ctx.activation(op, xp);
        ConstTensor c = ctx.requireConstant(op, 1 - xp, "bound");
        float v = c.values().length == 0 ? Float.NaN : c.values()[0];
        for (float f : c.values()) {
            if (f != v) {
                throw new UnsupportedOpException(op.label() + ": the bound varies per element; only a single value is supported");
            }
        }
        ReLU p;
        if (op.code() == BuiltinOperator.MAXIMUM) {
            if (v != 0f) {
                throw new UnsupportedOpException(op.label() + " computes max(x, " + v + "); only max(x, 0) (a ReLU) is supported");
            }
            p = ReLU.plain();
        } else {
            if (!(v >= 0f)) {
                throw new UnsupportedOpException(op.label() + " computes min(x, " + v + "); only a bound ≥ 0 is supported");
            }
            p = new ReLU(v, 1f, 0f);
        }
        Map<String, String> notes = ctx.notes(op);
        notes.put("tflite.folded", op.name() + " with the constant " + v);
        ctx.bindOutput(op, ctx.addLayer(op, p, Map.of(), notes, x));
    }
}

package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.SoftmaxOptions;
import k210studio.ir.layer.Softmax;

/** SOFTMAX over the last axis; a beta other than 1 has no catalog equivalent. */
public final class SoftmaxImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.SOFTMAX};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        SoftmaxOptions o = op.table().options(BuiltinOptionsType.SOFTMAX, SoftmaxOptions::new);
        float beta = o == null ? 1f : o.beta();
        if (beta != 1f && beta != 0f) {
            throw new UnsupportedOpException(op.label() + " has beta " + beta
                    + "; only softmax(x) (beta 1) is in the layer catalog");
        }
        ctx.bindOutput(op, ctx.addLayer(op, Softmax.lastAxis(), Map.of(), ctx.notes(op), x));
    }
}

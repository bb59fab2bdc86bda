package k210studio.converter.tflite.ops;

import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.TfliteTensor;
import k210studio.converter.tflite.UnsupportedOpException;

/**
 * QUANTIZE / DEQUANTIZE. The imported graph is float: on a constant (fp16 or int8 weights)
 * DEQUANTIZE is folded into a float constant; on an activation both ops are the identity (the
 * value they carry is the same real number), so their output is an alias of their input.
 */
public final class QuantizeImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException {
        int in = op.input(0);
        if (in < 0) {
            throw new UnsupportedOpException(op.label() + " has no input");
        }
        int out = op.outputs()[0];
        if (ctx.isConstant(in)) {
            ConstTensor c = ctx.constant(in);
            TfliteTensor t = ctx.tensor(in);
            ctx.bindConstant(out, new ConstTensor(t.shape(), c.values(), null));
            ctx.noteConstantOrigin(out, t.type() + (t.quant() != null ? " " + t.quant().describe(t.type()) : "")
                    + " (dequantized to float)");
            return;
        }
        ctx.alias(out, ctx.activation(op, 0));
    }
}

package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.ConcatenationOptions;
import k210studio.ir.layer.Concatenate;

/**
 * CONCATENATION → Concatenate. Both count the batch as axis 0, so for batched tensors the axis
 * carries over (negative made positive); for tensors without a batch dimension it shifts by one.
 */
public final class ConcatImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.CONCATENATION};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        ConcatenationOptions o = op.table().options(BuiltinOptionsType.CONCATENATION, ConcatenationOptions::new);
        int[] outShape = ctx.tensor(op.outputs()[0]).shape();
        int rank = outShape.length;
        int axis = o == null ? 0 : o.axis();
        int a = axis < 0 ? axis + rank : axis;
        int dropped = ImportContext.droppedDims(outShape);
        if (a < dropped || a >= rank) {
            throw new UnsupportedOpException(op.label() + " concatenates along axis " + axis
                    + (a == 0 ? " (the batch axis)" : "") + ", which the layer catalog cannot express");
        }
        // Keras axes count the batch as 0: TFLite dim a is catalog dim a − dropped, Keras axis a − dropped + 1
        a = a - dropped + 1;
        int fused = o == null ? 0 : o.fusedActivation();
        ImportContext.fusedFn(op, fused);
        String[] ins = new String[op.inputCount()];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = ctx.activation(op, i);
        }
        if (ins.length == 1) {
            // a one-input concatenation is an identity
            ctx.alias(op.outputs()[0], ins[0]);
            return;
        }
        String id = ctx.addLayer(op, new Concatenate(a), Map.of(), ctx.notes(op), ins);
        ctx.bindOutput(op, ctx.fusedActivation(op, id, fused));
    }
}

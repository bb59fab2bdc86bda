package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.Pool2DOptions;
import k210studio.converter.tflite.schema.ReducerOptions;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.GlobalMaxPooling2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;

/**
 * AVERAGE_POOL_2D, MAX_POOL_2D (with fused activation) and the spatial reductions MEAN /
 * REDUCE_MAX over axes {1, 2} (Keras' GlobalAveragePooling2D / GlobalMaxPooling2D).
 */
public final class PoolImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D, BuiltinOperator.MEAN,
            BuiltinOperator.REDUCE_MAX};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        int[] in = ConvImporter.image(op, ctx.inputShape(op, 0));
        if (op.code() == BuiltinOperator.MEAN || op.code() == BuiltinOperator.REDUCE_MAX) {
            ConstTensor axes = ctx.requireConstant(op, 1, "axes");
            boolean h = false;
            boolean w = false;
            for (int a : axes.intValues()) {
                int n = a < 0 ? a + 4 : a;
                if (n == 1) {
                    h = true;
                } else if (n == 2) {
                    w = true;
                } else {
                    throw new UnsupportedOpException(op.label() + " reduces over axis " + a
                            + "; only the spatial reduction over axes [1, 2] (global pooling) is supported");
                }
            }
            if (!(h && w)) {
                throw new UnsupportedOpException(op.label() + " reduces over only one spatial axis; only [1, 2] is supported");
            }
            ReducerOptions ro = op.table().options(BuiltinOptionsType.REDUCER, ReducerOptions::new);
            boolean keep = ro != null && ro.keepDims();
            LayerParams p = op.code() == BuiltinOperator.MEAN ? new GlobalAveragePooling2D(keep) : new GlobalMaxPooling2D(keep);
            ctx.bindOutput(op, ctx.addLayer(op, p, Map.of(), ctx.notes(op), x));
            return;
        }
        Pool2DOptions o = op.table().options(BuiltinOptionsType.POOL_2D, Pool2DOptions::new);
        if (o == null) {
            throw new UnsupportedOpException(op.label() + " has no options (pool size and strides are missing)");
        }
        LayerParams p;
        try {
            p = op.code() == BuiltinOperator.MAX_POOL_2D
                    ? new MaxPooling2D(o.filterH(), o.filterW(), o.strideH(), o.strideW(), ImportContext.padding(op, o.padding()))
                    : new AveragePooling2D(o.filterH(), o.filterW(), o.strideH(), o.strideW(), ImportContext.padding(op, o.padding()));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOpException(op.label() + ": " + e.getMessage());
        }
        ImportContext.fusedFn(op, o.fusedActivation());
        String id = ctx.addLayer(op, p, Map.of(), ctx.notes(op), x);
        ctx.bindOutput(op, ctx.fusedActivation(op, id, o.fusedActivation()));
    }
}

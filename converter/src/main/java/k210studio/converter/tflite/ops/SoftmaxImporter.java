package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.SoftmaxOptions;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Softmax;
import k210studio.ir.tensor.Tensor;

/** SOFTMAX over the last axis; a beta other than 1 becomes a scaling BatchNormalization before it. */
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
        if (!Float.isFinite(beta)) {
            throw new UnsupportedOpException(op.label() + " has beta " + beta);
        }
        String src = x;
        if (beta != 1f && beta != 0f) {
            // softmax(beta·x): scale first with a BatchNormalization y = beta·x (mean 0, variance 1, epsilon 0)
            int[] in = ctx.inputShape(op, 0);
            int c = in[in.length - 1];
            float[] gamma = new float[c];
            float[] ones = new float[c];
            java.util.Arrays.fill(gamma, beta);
            java.util.Arrays.fill(ones, 1f);
            Map<String, Tensor> w = new java.util.LinkedHashMap<>();
            w.put("gamma", new Tensor(new int[] {c}, gamma));
            w.put("beta", new Tensor(new int[] {c}, new float[c]));
            w.put("moving_mean", new Tensor(new int[] {c}, new float[c]));
            w.put("moving_variance", new Tensor(new int[] {c}, ones));
            Map<String, String> notes = ctx.notes(op);
            notes.put("tflite.folded", "SOFTMAX beta " + beta + " as a scale before the softmax");
            src = ctx.addLayer(op, new BatchNormalization(0f), w, notes, x);
            ctx.graph().replaceLayer(ctx.graph().layer(src).withName(ctx.graph().uniqueName(
                    ctx.graph().layer(src).name() + "/beta")));
        }
        ctx.bindOutput(op, ctx.addLayer(op, Softmax.lastAxis(), Map.of(), ctx.notes(op), src));
    }
}

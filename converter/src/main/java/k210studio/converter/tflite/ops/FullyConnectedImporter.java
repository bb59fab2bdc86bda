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
import k210studio.converter.tflite.schema.FullyConnectedOptions;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Flatten;
import k210studio.ir.tensor.Tensor;

/**
 * FULLY_CONNECTED → Dense. TFLite weights are [units, in]; Dense keeps Keras' [in, units].
 * Without keep_num_dims TFLite flattens the input to [batch, in] first: a Flatten layer is added
 * when the input has more than one axis.
 */
public final class FullyConnectedImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.FULLY_CONNECTED};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        int[] in = ctx.inputShape(op, 0);
        ConstTensor w = ctx.requireConstant(op, 1, "weights");
        ConstTensor b = ctx.optionalConstant(op, 2, "bias");
        if (w.shape().length != 2) {
            throw new UnsupportedOpException(op.label() + ": weights shape " + java.util.Arrays.toString(w.shape()) + " is not 2-D");
        }
        int units = w.shape()[0];
        int depth = w.shape()[1];
        FullyConnectedOptions opt = op.table().options(BuiltinOptionsType.FULLY_CONNECTED, FullyConnectedOptions::new);
        int fused = opt == null ? 0 : opt.fusedActivation();
        boolean keep = opt != null && opt.keepNumDims();
        if (opt != null && opt.weightsFormat() != 0) {
            throw new UnsupportedOpException(op.label() + " uses the shuffled weights format " + opt.weightsFormat()
                    + " (only DEFAULT can be imported)");
        }
        long total = 1;
        for (int d : in) {
            total *= d;
        }
        String src = x;
        if (in.length > 1 && !keep) {
            if (total != depth) {
                throw new UnsupportedOpException(op.label() + ": input " + java.util.Arrays.toString(in) + " holds " + total
                        + " values per sample but the weights expect " + depth);
            }
            src = ctx.addLayer(op, new Flatten(), Map.of(), Map.of("tflite.op", op.name() + " input flattening"), x);
            ctx.graph().replaceLayer(ctx.graph().layer(src).withName(ctx.graph().uniqueName(
                    ctx.graph().layer(src).name() + "/flatten")));
        } else if (in[in.length - 1] != depth) {
            throw new UnsupportedOpException(op.label() + ": the input's last axis is " + in[in.length - 1]
                    + " but the weights expect " + depth);
        }
        Dense p = new Dense(units, b != null, ImportContext.fusedFn(op, fused));
        float[] s = w.values();
        float[] k = new float[s.length];
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < depth; i++) {
                k[i * units + u] = s[u * depth + i];
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("kernel", new Tensor(new int[] {depth, units}, k));
        if (b != null) {
            weights.put("bias", ConvImporter.bias(op, b, units));
        }
        String id = ctx.addLayer(op, p, weights, ctx.notes(op, "1", "kernel", "2", "bias"), src);
        ctx.bindOutput(op, id);
    }
}

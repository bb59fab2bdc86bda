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
 * Without keep_num_dims TFLite reshapes the input to [−1, in] first: a Flatten layer is added when
 * one sample holds exactly {@code in} values; otherwise the rows are the leading axes and Dense on
 * the last axis computes them (a Reshape follows when the output tensor folds those axes).
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
        int[] dense;
        if (in.length > 1 && !keep && total == depth) {
            src = ctx.addLayer(op, new Flatten(), Map.of(), Map.of("tflite.op", op.name() + " input flattening"), x);
            ctx.graph().replaceLayer(ctx.graph().layer(src).withName(ctx.graph().uniqueName(
                    ctx.graph().layer(src).name() + "/flatten")));
            dense = new int[] {units};
        } else if (in[in.length - 1] == depth) {
            // TFLite folds the leading axes into rows of [rows, depth]: Dense on the last axis computes the same rows
            dense = in.clone();
            dense[dense.length - 1] = units;
        } else {
            throw new UnsupportedOpException(op.label() + ": input " + java.util.Arrays.toString(in) + " does not end in the "
                    + depth + " values the weights expect");
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
        int[] expected = ctx.outputShape(op);
        if (!java.util.Arrays.equals(expected, dense)) {
            long n = 1;
            for (int d : expected) {
                n *= d;
            }
            long m = 1;
            for (int d : dense) {
                m *= d;
            }
            if (n != m) {
                throw new UnsupportedOpException(op.label() + ": output " + java.util.Arrays.toString(expected)
                        + " does not hold the " + m + " values the layer computes");
            }
            id = ctx.addLayer(op, new k210studio.ir.layer.Reshape(k210studio.ir.tensor.TensorShape.of(expected), false),
                    Map.of(), Map.of("tflite.op", op.name() + " output shape"), id);
            ctx.graph().replaceLayer(ctx.graph().layer(id).withName(ctx.graph().uniqueName(
                    ctx.graph().layer(id).name() + "/reshape")));
        }
        ctx.bindOutput(op, id);
    }
}

package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.LeakyReluOptions;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.Tensor;

/** RELU, RELU6, LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH as activation layers. */
public final class ActivationImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.LEAKY_RELU, BuiltinOperator.PRELU,
            BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.HARD_SWISH};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        LayerParams p;
        Map<String, Tensor> weights = Map.of();
        switch (op.code()) {
            case BuiltinOperator.RELU: p = ReLU.plain(); break;
            case BuiltinOperator.RELU6: p = ReLU.relu6(); break;
            case BuiltinOperator.LEAKY_RELU: {
                LeakyReluOptions o = op.table().options(BuiltinOptionsType.LEAKY_RELU, LeakyReluOptions::new);
                p = new LeakyReLU(o == null ? 0f : o.alpha());
                break;
            }
            case BuiltinOperator.PRELU: {
                ConstTensor a = ctx.requireConstant(op, 1, "alpha");
                int[] in = ctx.inputShape(op, 0);
                p = new PReLU();
                weights = Map.of("alpha", new Tensor(alphaShape(op, a.shape(), in), a.values().clone()));
                break;
            }
            case BuiltinOperator.LOGISTIC: p = new Activation(ActivationFn.SIGMOID); break;
            case BuiltinOperator.TANH: p = new Activation(ActivationFn.TANH); break;
            default: p = new Activation(ActivationFn.of(ActivationFn.Kind.HARD_SWISH)); break;
        }
        ctx.bindOutput(op, ctx.addLayer(op, p, weights, ctx.notes(op, "1", "alpha"), x));
    }

    /** PReLU's alpha shaped with the input's rank (no batch), broadcastable (Keras shared axes are 1). */
    private static int[] alphaShape(TfliteOp op, int[] a, int[] in) throws UnsupportedOpException {
        int[] s = new int[in.length];
        java.util.Arrays.fill(s, 1);
        // align from the right; a leading batch axis of 1 in alpha is dropped
        int extra = a.length - in.length;
        for (int i = 0; i < a.length; i++) {
            int j = i - extra;
            if (j < 0) {
                if (a[i] != 1) {
                    throw new UnsupportedOpException(op.label() + ": alpha shape " + java.util.Arrays.toString(a)
                            + " does not broadcast to the input " + java.util.Arrays.toString(in));
                }
                continue;
            }
            if (a[i] != 1 && a[i] != in[j]) {
                throw new UnsupportedOpException(op.label() + ": alpha shape " + java.util.Arrays.toString(a)
                        + " does not broadcast to the input " + java.util.Arrays.toString(in));
            }
            s[j] = a[i];
        }
        return s;
    }
}

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
import k210studio.converter.tflite.schema.FusedActivationOptions;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Multiply;
import k210studio.ir.layer.Subtract;
import k210studio.ir.tensor.Tensor;

/**
 * ADD, SUB, MUL, DIV. Two computed inputs → Add / Subtract / Multiply. A computed input and a
 * per-channel (or scalar) constant → a BatchNormalization with mean 0, variance 1 and epsilon 0,
 * i.e. y = gamma·x + beta, which is exactly x + c, x − c, c − x, c·x or x / c. Two constants are folded.
 */
public final class BinaryImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.ADD, BuiltinOperator.SUB, BuiltinOperator.MUL, BuiltinOperator.DIV};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        if (op.inputCount() < 2) {
            throw new UnsupportedOpException(op.label() + " needs two inputs");
        }
        FusedActivationOptions opt = op.table().options(optionsType(op.code()), FusedActivationOptions::new);
        int fused = opt == null ? 0 : opt.fusedActivation();
        ImportContext.fusedFn(op, fused);
        boolean c0 = ctx.isConstant(op.input(0));
        boolean c1 = ctx.isConstant(op.input(1));
        if (c0 && c1) {
            fold(op, ctx, fused);
            return;
        }
        String id;
        if (!c0 && !c1) {
            if (op.code() == BuiltinOperator.DIV) {
                throw new UnsupportedOpException(op.label() + " divides two computed tensors; the layer catalog only "
                        + "divides by a constant");
            }
            LayerParams p = op.code() == BuiltinOperator.ADD ? new Add() : op.code() == BuiltinOperator.SUB ? new Subtract() : new Multiply();
            id = ctx.addLayer(op, p, Map.of(), ctx.notes(op), ctx.activation(op, 0), ctx.activation(op, 1));
        } else {
            int xp = c0 ? 1 : 0;
            String x = ctx.activation(op, xp);
            int[] xs = ctx.inputShape(op, xp);
            ConstTensor c = ctx.requireConstant(op, 1 - xp, "constant operand");
            int channels = xs[xs.length - 1];
            float[] cv = perChannel(op, c, channels);
            float[] gamma = new float[channels];
            float[] beta = new float[channels];
            for (int i = 0; i < channels; i++) {
                switch (op.code()) {
                    case BuiltinOperator.ADD: gamma[i] = 1; beta[i] = cv[i]; break;
                    case BuiltinOperator.MUL: gamma[i] = cv[i]; beta[i] = 0; break;
                    case BuiltinOperator.DIV:
                        if (xp != 0) {
                            throw new UnsupportedOpException(op.label() + " divides a constant by a computed tensor "
                                    + "(only x / constant is in the layer catalog)");
                        }
                        if (cv[i] == 0f) {
                            throw new UnsupportedOpException(op.label() + " divides by a constant that contains 0");
                        }
                        gamma[i] = 1f / cv[i];
                        beta[i] = 0;
                        break;
                    default:
                        if (xp == 0) {          // x − c
                            gamma[i] = 1;
                            beta[i] = -cv[i];
                        } else {                // c − x
                            gamma[i] = -1;
                            beta[i] = cv[i];
                        }
                }
            }
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("gamma", new Tensor(new int[] {channels}, gamma));
            w.put("beta", new Tensor(new int[] {channels}, beta));
            w.put("moving_mean", new Tensor(new int[] {channels}, new float[channels]));
            float[] ones = new float[channels];
            java.util.Arrays.fill(ones, 1f);
            w.put("moving_variance", new Tensor(new int[] {channels}, ones));
            Map<String, String> notes = ctx.notes(op, Integer.toString(1 - xp), "constant");
            notes.put("tflite.folded", op.name() + " with a per-channel constant, as y = gamma·x + beta");
            id = ctx.addLayer(op, new BatchNormalization(0f), w, notes, x);
        }
        ctx.bindOutput(op, ctx.fusedActivation(op, id, fused));
    }

    private static int optionsType(int code) {
        switch (code) {
            case BuiltinOperator.ADD: return BuiltinOptionsType.ADD;
            case BuiltinOperator.SUB: return BuiltinOptionsType.SUB;
            case BuiltinOperator.DIV: return BuiltinOptionsType.DIV;
            default: return BuiltinOptionsType.MUL;
        }
    }

    /** The constant as one value per channel; it must broadcast along the last axis only. */
    private static float[] perChannel(TfliteOp op, ConstTensor c, int channels) throws UnsupportedOpException {
        int[] s = c.shape();
        for (int i = 0; i < s.length - 1; i++) {
            if (s[i] != 1) {
                throw new UnsupportedOpException(op.label() + ": the constant operand of shape " + java.util.Arrays.toString(s)
                        + " varies along more than the channel axis (only per-channel or scalar constants are supported)");
            }
        }
        float[] out = new float[channels];
        if (c.size() == 1) {
            java.util.Arrays.fill(out, c.values()[0]);
        } else if (c.size() == channels) {
            System.arraycopy(c.values(), 0, out, 0, channels);
        } else {
            throw new UnsupportedOpException(op.label() + ": the constant has " + c.size() + " values for " + channels + " channels");
        }
        return out;
    }

    private static void fold(TfliteOp op, ImportContext ctx, int fused) throws UnsupportedOpException {
        ConstTensor a = ctx.requireConstant(op, 0, "operand");
        ConstTensor b = ctx.requireConstant(op, 1, "operand");
        int n = Math.max(a.size(), b.size());
        if (!(a.size() == n || a.size() == 1) || !(b.size() == n || b.size() == 1)) {
            throw new UnsupportedOpException(op.label() + ": constant operands of shapes " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()) + " cannot be folded");
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            float x = a.values()[a.size() == 1 ? 0 : i];
            float y = b.values()[b.size() == 1 ? 0 : i];
            float v = op.code() == BuiltinOperator.ADD ? x + y : op.code() == BuiltinOperator.SUB ? x - y
                    : op.code() == BuiltinOperator.DIV ? x / y : x * y;
            r[i] = fused == 1 ? Math.max(v, 0) : fused == 3 ? Math.min(Math.max(v, 0), 6) : fused == 4 ? (float) Math.tanh(v) : v;
        }
        int[] shape = a.size() == n ? a.shape() : b.shape();
        ctx.bindConstant(op.outputs()[0], new ConstTensor(shape, r, null));
    }
}

package k210studio.converter.tflite.ops;

import java.util.Arrays;
import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ConstTensor;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.ImportDiagnostic;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.PackOptions;
import k210studio.converter.tflite.schema.ReshapeOptions;
import k210studio.converter.tflite.schema.StridedSliceOptions;
import k210studio.ir.layer.Reshape;
import k210studio.ir.tensor.TensorShape;

/**
 * RESHAPE, SQUEEZE, EXPAND_DIMS → a static Reshape to the output tensor's shape; SHAPE,
 * STRIDED_SLICE and PACK are folded into constants when their inputs are known at import time.
 * This folds TF2's run-time shape sub-graph (SHAPE → STRIDED_SLICE → PACK → RESHAPE, what a
 * Keras Reshape/Flatten with a dynamic batch becomes) into one static Reshape.
 */
public final class ShapeOpImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.EXPAND_DIMS,
            BuiltinOperator.SHAPE, BuiltinOperator.STRIDED_SLICE, BuiltinOperator.PACK};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        switch (op.code()) {
            case BuiltinOperator.SHAPE: shape(op, ctx); break;
            case BuiltinOperator.STRIDED_SLICE: stridedSlice(op, ctx); break;
            case BuiltinOperator.PACK: pack(op, ctx); break;
            default: reshape(op, ctx); break;
        }
    }

    private void reshape(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        int inT = op.input(0);
        if (inT < 0) {
            throw new UnsupportedOpException(op.label() + " has no input");
        }
        int outT = op.outputs()[0];
        int[] outFull = ctx.tensor(outT).shape();
        long inCount = ctx.tensor(inT).elements();
        if (ctx.tensor(outT).elements() != inCount) {
            outFull = requestedShape(op, ctx, inCount);
        }
        if (ctx.isConstant(inT)) {
            ConstTensor c = ctx.constant(inT);
            ctx.bindConstant(outT, new ConstTensor(outFull, c.values(), c.ints()));
            return;
        }
        String x = ctx.activation(op, 0);
        int[] target = ImportContext.irShape(outFull);
        Map<String, String> notes = ctx.notes(op);
        if (op.code() == BuiltinOperator.RESHAPE && op.input(1) >= 0 && !ctx.tensor(op.input(1)).isConstant()
                && ctx.isConstant(op.input(1))) {
            notes.put("tflite.folded", "the run-time shape computation (SHAPE → STRIDED_SLICE → PACK) feeding this RESHAPE");
            ctx.diagnostic(ImportDiagnostic.info("reshape-folded", op.label() + " '" + ctx.tensor(outT).name()
                    + "': the run-time shape computation (SHAPE → STRIDED_SLICE → PACK) was folded into a static Reshape to "
                    + TensorShape.of(target) + " (nncase 0.1/0.2 cannot convert the dynamic form)"));
        }
        ctx.bindOutput(op, ctx.addLayer(op, new Reshape(TensorShape.of(target), false), Map.of(), notes, x));
    }

    /** The target shape from the shape input or options, with one −1 inferred; batch kept as 1. */
    private static int[] requestedShape(TfliteOp op, ImportContext ctx, long count) throws UnsupportedOpException,
            TfliteFormatException {
        int[] req = null;
        if (op.code() == BuiltinOperator.RESHAPE) {
            if (op.input(1) >= 0 && ctx.isConstant(op.input(1))) {
                req = ctx.constant(op.input(1)).intValues();
            } else {
                ReshapeOptions o = op.table().options(BuiltinOptionsType.RESHAPE, ReshapeOptions::new);
                if (o != null && o.hasNewShape()) {
                    req = o.newShape();
                }
            }
        }
        if (req == null) {
            throw new UnsupportedOpException(op.label() + ": the output shape " + Arrays.toString(ctx.tensor(op.outputs()[0]).shape())
                    + " does not hold the input's " + count + " values and no static target shape is given");
        }
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < req.length; i++) {
            if (req[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (req[i] <= 0) {
                throw new UnsupportedOpException(op.label() + ": invalid target shape " + Arrays.toString(req));
            } else {
                known *= req[i];
            }
        }
        int[] out = req.clone();
        if (unknown >= 0) {
            if (count % known != 0) {
                throw new UnsupportedOpException(op.label() + ": " + count + " values cannot fill " + Arrays.toString(req));
            }
            out[unknown] = (int) (count / known);
        } else if (known != count) {
            throw new UnsupportedOpException(op.label() + ": target " + Arrays.toString(req) + " needs " + known
                    + " values, the input has " + count);
        }
        return out;
    }

    private void shape(TfliteOp op, ImportContext ctx) throws UnsupportedOpException {
        int t = op.input(0);
        if (t < 0) {
            throw new UnsupportedOpException(op.label() + " has no input");
        }
        if (ctx.tensor(t).hasDynamicShape()) {
            throw new UnsupportedOpException(op.label() + ": the shape of '" + ctx.tensor(t).name()
                    + "' is only known at run time " + Arrays.toString(ctx.tensor(t).signature()));
        }
        int[] s = ctx.tensor(t).shape();
        long[] v = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i];
        }
        ctx.bindConstant(op.outputs()[0], ConstTensor.ofInts(new int[] {s.length}, v));
    }

    private void stridedSlice(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        if (!ctx.isConstant(op.input(0))) {
            throw new UnsupportedOpException(op.label() + " slices a computed tensor; only slices of constants "
                    + "(run-time shape computations) can be imported");
        }
        ConstTensor in = ctx.requireConstant(op, 0, "input");
        int[] begin = ctx.requireConstant(op, 1, "begin").intValues();
        int[] end = ctx.requireConstant(op, 2, "end").intValues();
        int[] strides = ctx.requireConstant(op, 3, "strides").intValues();
        if (in.shape().length != 1 || begin.length != 1 || end.length != 1 || strides.length != 1) {
            throw new UnsupportedOpException(op.label() + ": only 1-D constant slices are folded, got "
                    + Arrays.toString(in.shape()));
        }
        StridedSliceOptions o = op.table().options(BuiltinOptionsType.STRIDED_SLICE, StridedSliceOptions::new);
        int beginMask = o == null ? 0 : o.beginMask();
        int endMask = o == null ? 0 : o.endMask();
        boolean shrink = o != null && (o.shrinkAxisMask() & 1) != 0;
        if (o != null && (o.ellipsisMask() != 0 || o.newAxisMask() != 0)) {
            throw new UnsupportedOpException(op.label() + ": ellipsis and new-axis masks are not folded");
        }
        int n = in.size();
        int s = strides[0];
        if (s == 0) {
            throw new UnsupportedOpException(op.label() + " has stride 0");
        }
        int b = begin[0] < 0 ? begin[0] + n : begin[0];
        int e = end[0] < 0 ? end[0] + n : end[0];
        if (o != null && o.offset()) {
            e = b + end[0];
        }
        if ((beginMask & 1) != 0) {
            b = s > 0 ? 0 : n - 1;
        }
        if ((endMask & 1) != 0) {
            e = s > 0 ? n : -1;
        }
        if (shrink) {
            e = b + 1;
            s = 1;
        }
        b = s > 0 ? Math.max(0, Math.min(b, n)) : Math.max(-1, Math.min(b, n - 1));
        e = s > 0 ? Math.max(0, Math.min(e, n)) : Math.max(-1, Math.min(e, n - 1));
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int i = b; s > 0 ? i < e : i > e; i += s) {
            out.add(in.ints() != null ? in.ints()[i] : (long) in.values()[i]);
        }
        long[] v = out.stream().mapToLong(Long::longValue).toArray();
        int[] shape = shrink ? new int[0] : new int[] {v.length};
        if (in.ints() == null) {
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = v[i];
            }
            ctx.bindConstant(op.outputs()[0], new ConstTensor(shape, f, null));
        } else {
            ctx.bindConstant(op.outputs()[0], ConstTensor.ofInts(shape, v));
        }
    }

    private void pack(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        int n = op.inputCount();
        if (n == 0) {
            throw new UnsupportedOpException(op.label() + " has no inputs");
        }
        ConstTensor[] parts = new ConstTensor[n];
        for (int i = 0; i < n; i++) {
            if (!ctx.isConstant(op.input(i))) {
                throw new UnsupportedOpException(op.label() + " stacks computed tensors; only stacks of constants "
                        + "(run-time shape computations) can be imported");
            }
            parts[i] = ctx.requireConstant(op, i, "value");
        }
        int[] s = parts[0].shape();
        for (ConstTensor p : parts) {
            if (!Arrays.equals(p.shape(), s)) {
                throw new UnsupportedOpException(op.label() + ": values of different shapes cannot be stacked");
            }
        }
        PackOptions o = op.table().options(BuiltinOptionsType.PACK, PackOptions::new);
        int rank = s.length + 1;
        int axis = o == null ? 0 : o.axis();
        if (axis < 0) {
            axis += rank;
        }
        if (axis < 0 || axis >= rank) {
            throw new UnsupportedOpException(op.label() + ": axis " + axis + " out of range");
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= s[i];
        }
        int inner = parts[0].size() / Math.max(outer, 1);
        int[] outShape = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            outShape[i] = i == axis ? n : s[j++];
        }
        boolean ints = Arrays.stream(parts).allMatch(ConstTensor::isInteger);
        float[] f = new float[n * parts[0].size()];
        long[] l = new long[f.length];
        int k = 0;
        for (int a = 0; a < outer; a++) {
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < inner; i++) {
                    int src = a * inner + i;
                    f[k] = parts[p].values()[src];
                    l[k] = ints ? parts[p].ints()[src] : 0;
                    k++;
                }
            }
        }
        ctx.bindConstant(op.outputs()[0], ints ? ConstTensor.ofInts(outShape, l) : new ConstTensor(outShape, f, null));
    }
}

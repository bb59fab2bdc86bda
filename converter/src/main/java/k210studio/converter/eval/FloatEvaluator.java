package k210studio.converter.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.Tensor;

/**
 * Runs an {@link Graph} in float32, NHWC, batch 1 — the reference every quantized result is
 * compared against. Every layer of the catalog is implemented with TensorFlow's semantics
 * ('same' padding split, average pooling over real inputs only, TF resize rules). Tensors have
 * no batch dimension: images are [H, W, C].
 */
public final class FloatEvaluator {
    private FloatEvaluator() {
    }

    /** Largest tensor (elements) the evaluator allocates; bigger shapes are refused with a message. */
    public static final long MAX_ELEMENTS = 1L << 26;

    /**
     * Evaluates the graph.
     *
     * @param graph   the network (must have no structural problems)
     * @param inputs  Input layer id → tensor shaped like the Input (a leading batch of 1 is accepted)
     * @param keepAll keep every layer's output in the result (for inspection and calibration); otherwise
     *                intermediate tensors are released as soon as their last consumer ran
     * @throws EvaluationException naming the layer when inputs or a layer are malformed
     */
    public static EvaluationResult evaluate(Graph graph, Map<String, Tensor> inputs, boolean keepAll) {
        long t0 = System.nanoTime();
        List<GraphException> problems = graph.problems();
        if (!problems.isEmpty()) {
            throw new EvaluationException("the network cannot be evaluated: " + problems.get(0).getMessage(), null);
        }
        List<String> order = graph.topologicalOrder();
        List<String> outputs = graph.outputIds();
        Map<String, Integer> pending = new HashMap<>();
        for (String id : order) {
            for (String p : graph.inputsOf(id)) {
                pending.merge(p, 1, Integer::sum);
            }
        }
        Map<String, Tensor> values = new HashMap<>();
        Map<String, Tensor> kept = new LinkedHashMap<>();
        Map<String, Long> layerNanos = new LinkedHashMap<>();
        for (String id : order) {
            long lt = System.nanoTime();
            Layer l = graph.layer(id);
            List<String> ins = graph.inputsOf(id);
            List<Tensor> args = new ArrayList<>(ins.size());
            for (String p : ins) {
                args.add(values.get(p));
            }
            Tensor out = l.params() instanceof Input in ? input(l, in, inputs.get(id)) : evaluateLayer(l, args);
            values.put(id, out);
            layerNanos.put(id, System.nanoTime() - lt);
            if (keepAll) {
                kept.put(id, out);
            }
            for (String p : ins) {
                if (pending.merge(p, -1, Integer::sum) == 0 && !outputs.contains(p)) {
                    values.remove(p);
                }
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String o : outputs) {
            result.put(o, values.get(o));
        }
        if (keepAll) {
            for (Map.Entry<String, Tensor> e : kept.entrySet()) {
                result.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        return new EvaluationResult(outputs, result, System.nanoTime() - t0, layerNanos);
    }

    /**
     * One layer's output for given input tensors, with exactly the kernels {@link #evaluate} uses (the training
     * engine runs its forward passes through this, so trained weights mean the same at inference).
     *
     * @throws EvaluationException naming the layer when an input or a weight is malformed
     */
    public static Tensor evaluateLayer(Layer l, List<Tensor> inputs) {
        if (l.params() instanceof Input in) {
            return input(l, in, inputs.isEmpty() ? null : inputs.get(0));
        }
        try {
            return compute(l, inputs);
        } catch (EvaluationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EvaluationException("layer '" + l.name() + "' (" + l.params().kerasName() + "): "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), l.id());
        }
    }

    private static Tensor input(Layer l, Input in, Tensor given) {
        if (given == null) {
            throw new EvaluationException("no value given for the input '" + l.name() + "' (" + in.shape() + ")", l.id());
        }
        int[] want = in.shape().dims();
        int[] got = given.shape();
        if (got.length == want.length + 1 && got[0] == 1) {
            got = Arrays.copyOfRange(got, 1, got.length);
        }
        if (!Arrays.equals(want, got)) {
            throw new EvaluationException("the input '" + l.name() + "' expects shape " + in.shape() + " but got "
                    + Arrays.toString(given.shape()), l.id());
        }
        for (float v : given.data()) {
            if (!Float.isFinite(v)) {
                throw new EvaluationException("the input '" + l.name() + "' contains NaN or infinity", l.id());
            }
        }
        return given.reshape(want);
    }

    private static Tensor compute(Layer l, List<Tensor> a) {
        LayerParams p = l.params();
        Tensor x = a.get(0);
        int[] s = x.shape();
        if (p instanceof Conv2D c) {
            requireImage(l, s);
            Tensor k = weight(l, "kernel", c.kernelH(), c.kernelW(), s[2], c.filters());
            float[] b = c.useBias() ? weight(l, "bias", c.filters()).data() : null;
            int[] hw = new int[2];
            checkSize(l, outSize(s[0], c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    outSize(s[1], c.kernelW(), c.strideW(), c.dilationW(), c.padding()), c.filters());
            float[] o = ConvKernels.conv2d(x.data(), s[0], s[1], s[2], k.data(), c.kernelH(), c.kernelW(), c.filters(), b,
                    c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), hw);
            return activated(o, c.activation(), hw[0], hw[1], c.filters());
        }
        if (p instanceof DepthwiseConv2D c) {
            requireImage(l, s);
            int co = s[2] * c.depthMultiplier();
            Tensor k = weight(l, "depthwise_kernel", c.kernelH(), c.kernelW(), s[2], c.depthMultiplier());
            float[] b = c.useBias() ? weight(l, "bias", co).data() : null;
            checkSize(l, outSize(s[0], c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    outSize(s[1], c.kernelW(), c.strideW(), c.dilationW(), c.padding()), co);
            int[] hw = new int[2];
            float[] o = ConvKernels.depthwise(x.data(), s[0], s[1], s[2], k.data(), c.kernelH(), c.kernelW(),
                    c.depthMultiplier(), b, c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), hw);
            return activated(o, c.activation(), hw[0], hw[1], co);
        }
        if (p instanceof SeparableConv2D c) {
            requireImage(l, s);
            int m = c.depthMultiplier();
            Tensor dk = weight(l, "depthwise_kernel", c.kernelH(), c.kernelW(), s[2], m);
            Tensor pk = weight(l, "pointwise_kernel", 1, 1, s[2] * m, c.filters());
            float[] b = c.useBias() ? weight(l, "bias", c.filters()).data() : null;
            checkSize(l, outSize(s[0], c.kernelH(), c.strideH(), 1, c.padding()),
                    outSize(s[1], c.kernelW(), c.strideW(), 1, c.padding()), (long) s[2] * m + c.filters());
            int[] hw = new int[2];
            float[] d = ConvKernels.depthwise(x.data(), s[0], s[1], s[2], dk.data(), c.kernelH(), c.kernelW(), m, null,
                    c.strideH(), c.strideW(), 1, 1, c.padding(), hw);
            int[] hw2 = new int[2];
            float[] o = ConvKernels.conv2d(d, hw[0], hw[1], s[2] * m, pk.data(), 1, 1, c.filters(), b, 1, 1, 1, 1,
                    Padding.VALID, hw2);
            return activated(o, c.activation(), hw2[0], hw2[1], c.filters());
        }
        if (p instanceof Conv2DTranspose c) {
            requireImage(l, s);
            Tensor k = weight(l, "kernel", c.kernelH(), c.kernelW(), c.filters(), s[2]);
            float[] b = c.useBias() ? weight(l, "bias", c.filters()).data() : null;
            checkSize(l, k210studio.ir.shape.ConvGeometry.transposedOut(s[0], c.kernelH(), c.strideH(), c.padding()),
                    k210studio.ir.shape.ConvGeometry.transposedOut(s[1], c.kernelW(), c.strideW(), c.padding()), c.filters());
            int[] hw = new int[2];
            float[] o = ConvKernels.transposed(x.data(), s[0], s[1], s[2], k.data(), c.kernelH(), c.kernelW(), c.filters(), b,
                    c.strideH(), c.strideW(), c.padding(), hw);
            return activated(o, c.activation(), hw[0], hw[1], c.filters());
        }
        if (p instanceof Dense d) {
            int in = s[s.length - 1];
            Tensor k = weight(l, "kernel", in, d.units());
            float[] b = d.useBias() ? weight(l, "bias", d.units()).data() : null;
            int rows = x.size() / Math.max(in, 1);
            checkSize(l, rows, d.units(), 1);
            float[] o = ConvKernels.dense(x.data(), rows, in, k.data(), d.units(), b);
            int[] os = s.clone();
            os[os.length - 1] = d.units();
            ElementwiseKernels.activate(o, d.activation(), d.units());
            return new Tensor(os, o);
        }
        if (p instanceof MaxPooling2D m) {
            requireImage(l, s);
            int[] hw = new int[2];
            float[] o = PoolKernels.pool(x.data(), s[0], s[1], s[2], m.poolH(), m.poolW(), m.strideH(), m.strideW(),
                    m.padding(), true, hw);
            return new Tensor(new int[] {hw[0], hw[1], s[2]}, o);
        }
        if (p instanceof AveragePooling2D m) {
            requireImage(l, s);
            int[] hw = new int[2];
            float[] o = PoolKernels.pool(x.data(), s[0], s[1], s[2], m.poolH(), m.poolW(), m.strideH(), m.strideW(),
                    m.padding(), false, hw);
            return new Tensor(new int[] {hw[0], hw[1], s[2]}, o);
        }
        if (p instanceof GlobalAveragePooling2D g) {
            requireImage(l, s);
            float[] o = PoolKernels.global(x.data(), s[0], s[1], s[2], false);
            return new Tensor(g.keepDims() ? new int[] {1, 1, s[2]} : new int[] {s[2]}, o);
        }
        if (p instanceof GlobalMaxPooling2D g) {
            requireImage(l, s);
            float[] o = PoolKernels.global(x.data(), s[0], s[1], s[2], true);
            return new Tensor(g.keepDims() ? new int[] {1, 1, s[2]} : new int[] {s[2]}, o);
        }
        if (p instanceof ZeroPadding2D z) {
            requireImage(l, s);
            checkSize(l, (long) s[0] + z.top() + z.bottom(), (long) s[1] + z.left() + z.right(), s[2]);
            float[] o = LayoutKernels.zeroPad(x.data(), s[0], s[1], s[2], z.top(), z.bottom(), z.left(), z.right());
            return new Tensor(new int[] {s[0] + z.top() + z.bottom(), s[1] + z.left() + z.right(), s[2]}, o);
        }
        if (p instanceof BatchNormalization bn) {
            int c = s[s.length - 1];
            float[] gamma = optionalWeight(l, "gamma", c, 1f);
            float[] beta = optionalWeight(l, "beta", c, 0f);
            float[] mean = optionalWeight(l, "moving_mean", c, 0f);
            float[] var = optionalWeight(l, "moving_variance", c, 1f);
            float[] mul = new float[c];
            float[] add = new float[c];
            for (int i = 0; i < c; i++) {
                mul[i] = (float) (gamma[i] / Math.sqrt(var[i] + bn.epsilon()));
                add[i] = beta[i] - mean[i] * mul[i];
            }
            float[] v = x.data();
            float[] o = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                int ch = i % c;
                o[i] = v[i] * mul[ch] + add[ch];
            }
            return new Tensor(s, o);
        }
        if (p instanceof Activation act) {
            float[] o = x.data().clone();
            ElementwiseKernels.activate(o, act.fn(), s[s.length - 1]);
            return new Tensor(s, o);
        }
        if (p instanceof ReLU r) {
            float[] v = x.data();
            float[] o = new float[v.length];
            float max = r.maxValue() == null ? Float.POSITIVE_INFINITY : r.maxValue();
            for (int i = 0; i < v.length; i++) {
                float xv = v[i];
                o[i] = xv >= max ? max : xv >= r.threshold() ? xv : r.negativeSlope() * (xv - r.threshold()) + 0f; // + 0f: no −0
            }
            return new Tensor(s, o);
        }
        if (p instanceof LeakyReLU r) {
            float[] o = x.data().clone();
            for (int i = 0; i < o.length; i++) {
                if (o[i] < 0) {
                    o[i] *= r.alpha();
                }
            }
            return new Tensor(s, o);
        }
        if (p instanceof PReLU) {
            Tensor alpha = l.weight("alpha");
            if (alpha == null) {
                throw new EvaluationException("layer '" + l.name() + "' (PReLU) has no weight 'alpha'", l.id());
            }
            int[] bs = ElementwiseKernels.broadcastShape(s, alpha.shape());
            if (bs == null || !Arrays.equals(bs, s)) {
                throw new EvaluationException("layer '" + l.name() + "': alpha " + Arrays.toString(alpha.shape())
                        + " does not broadcast to the input " + Arrays.toString(s), l.id());
            }
            float[] pos = x.data();
            float[] slope = ElementwiseKernels.binary(pos, s, alpha.data(), alpha.shape(), s, ElementwiseKernels.BinaryOp.MUL);
            float[] o = new float[pos.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = pos[i] >= 0 ? pos[i] : slope[i];
            }
            return new Tensor(s, o);
        }
        if (p instanceof Dropout) {
            return x;
        }
        if (p instanceof Flatten) {
            return x.reshape(x.size());
        }
        if (p instanceof Reshape r) {
            int[] t = r.targetShape().dims();
            long known = 1;
            int unknown = -1;
            for (int i = 0; i < t.length; i++) {
                if (t[i] == -1) {
                    unknown = i;
                } else {
                    known *= t[i];
                }
            }
            if (unknown >= 0 && known > 0 && x.size() % known == 0) {
                t[unknown] = (int) (x.size() / known);
                known = x.size();
            }
            if (known != x.size()) {
                throw new EvaluationException("layer '" + l.name() + "': cannot reshape " + Arrays.toString(s) + " to "
                        + r.targetShape(), l.id());
            }
            return x.reshape(t);
        }
        if (p instanceof Add || p instanceof Subtract || p instanceof Multiply) {
            ElementwiseKernels.BinaryOp op = p instanceof Add ? ElementwiseKernels.BinaryOp.ADD
                    : p instanceof Subtract ? ElementwiseKernels.BinaryOp.SUB : ElementwiseKernels.BinaryOp.MUL;
            if (op == ElementwiseKernels.BinaryOp.SUB && a.size() != 2) {
                throw new EvaluationException("layer '" + l.name() + "' (Subtract) needs exactly two inputs", l.id());
            }
            float[] acc = x.data();
            int[] shape = s;
            for (int i = 1; i < a.size(); i++) {
                Tensor y = a.get(i);
                int[] out = ElementwiseKernels.broadcastShape(shape, y.shape());
                if (out == null) {
                    throw new EvaluationException("layer '" + l.name() + "': input shapes " + Arrays.toString(shape) + " and "
                            + Arrays.toString(y.shape()) + " do not broadcast", l.id());
                }
                acc = ElementwiseKernels.binary(acc, shape, y.data(), y.shape(), out, op);
                shape = out;
            }
            return new Tensor(shape, acc == x.data() ? acc.clone() : acc);
        }
        if (p instanceof Concatenate c) {
            int rank = s.length;
            int axis = c.axis() < 0 ? rank + 1 + c.axis() : c.axis();
            if (axis < 1 || axis > rank) {
                throw new EvaluationException("layer '" + l.name() + "': axis " + c.axis() + " out of range for "
                        + Arrays.toString(s), l.id());
            }
            int ax = axis - 1;
            float[][] parts = new float[a.size()][];
            int[][] shapes = new int[a.size()][];
            int[] out = s.clone();
            out[ax] = 0;
            for (int i = 0; i < a.size(); i++) {
                parts[i] = a.get(i).data();
                shapes[i] = a.get(i).shape();
                if (shapes[i].length != rank) {
                    throw new EvaluationException("layer '" + l.name() + "': inputs have different ranks", l.id());
                }
                for (int d = 0; d < rank; d++) {
                    if (d != ax && shapes[i][d] != s[d]) {
                        throw new EvaluationException("layer '" + l.name() + "': input shapes differ outside the axis", l.id());
                    }
                }
                out[ax] += shapes[i][ax];
            }
            return new Tensor(out, LayoutKernels.concat(parts, shapes, ax));
        }
        if (p instanceof UpSampling2D u) {
            requireImage(l, s);
            int oh = s[0] * u.sizeH();
            int ow = s[1] * u.sizeW();
            checkSize(l, oh, ow, s[2]);
            // Keras 2 (TF2) UpSampling2D: nearest = repeat; bilinear = tf.image.resize with half-pixel centers
            float[] o = LayoutKernels.resize(x.data(), s[0], s[1], s[2], oh, ow, u.interpolation(), false,
                    u.interpolation() == Interpolation.BILINEAR);
            return new Tensor(new int[] {oh, ow, s[2]}, o);
        }
        if (p instanceof Resizing r) {
            requireImage(l, s);
            checkSize(l, r.height(), r.width(), s[2]);
            float[] o = LayoutKernels.resize(x.data(), s[0], s[1], s[2], r.height(), r.width(), r.interpolation(),
                    r.alignCorners(), r.halfPixelCenters());
            return new Tensor(new int[] {r.height(), r.width(), s[2]}, o);
        }
        if (p instanceof Softmax sm) {
            int rank = s.length;
            int axis = sm.axis() < 0 ? rank + 1 + sm.axis() : sm.axis();
            if (axis < 1 || axis > rank) {
                throw new EvaluationException("layer '" + l.name() + "': axis " + sm.axis() + " out of range", l.id());
            }
            int ax = axis - 1;
            int outer = 1;
            for (int i = 0; i < ax; i++) {
                outer *= s[i];
            }
            int inner = 1;
            for (int i = ax + 1; i < rank; i++) {
                inner *= s[i];
            }
            float[] o = x.data().clone();
            ElementwiseKernels.softmax(o, outer, s[ax], inner);
            return new Tensor(s, o);
        }
        throw new EvaluationException("layer '" + l.name() + "': the evaluator has no kernel for " + p.kerasName(), l.id());
    }

    private static int outSize(int in, int k, int s, int d, Padding pad) {
        return k210studio.ir.shape.ConvGeometry.of(in, k, s, d, pad).out();
    }

    private static void checkSize(Layer l, long h, long w, long c) {
        if (h < 1 || w < 1) {
            throw new EvaluationException("layer '" + l.name() + "' would produce an empty " + h + "×" + w + " output", l.id());
        }
        if (h * w * c > MAX_ELEMENTS) {
            throw new EvaluationException("layer '" + l.name() + "' would produce " + h + "×" + w + "×" + c
                    + " values, more than the evaluator allows (" + MAX_ELEMENTS + ")", l.id());
        }
    }

    private static Tensor activated(float[] o, ActivationFn fn, int h, int w, int c) {
        ElementwiseKernels.activate(o, fn, c);
        return new Tensor(new int[] {h, w, c}, o);
    }

    private static void requireImage(Layer l, int[] s) {
        if (s.length != 3) {
            throw new EvaluationException("layer '" + l.name() + "' (" + l.params().kerasName() + ") needs an H×W×C input, got "
                    + Arrays.toString(s), l.id());
        }
    }

    private static Tensor weight(Layer l, String key, int... shape) {
        Tensor t = l.weight(key);
        if (t == null) {
            throw new EvaluationException("layer '" + l.name() + "' has no weight '" + key + "'", l.id());
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new EvaluationException("layer '" + l.name() + "': weight '" + key + "' is " + Arrays.toString(t.shape())
                    + " but the layer needs " + Arrays.toString(shape), l.id());
        }
        return t;
    }

    private static float[] optionalWeight(Layer l, String key, int n, float dflt) {
        Tensor t = l.weight(key);
        if (t == null) {
            float[] v = new float[n];
            Arrays.fill(v, dflt);
            return v;
        }
        if (t.size() != n) {
            throw new EvaluationException("layer '" + l.name() + "': weight '" + key + "' has " + t.size()
                    + " values for " + n + " channels", l.id());
        }
        return t.data();
    }
}

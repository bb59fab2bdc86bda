package k210studio.converter.eval;

import k210studio.ir.layer.ActivationFn;

/** Activations, softmax and numpy-broadcasting binary operations on float arrays. */
final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** Applies an activation in place; softmax runs over the last axis of length {@code last}. */
    static void activate(float[] v, ActivationFn fn, int last) {
        switch (fn.kind()) {
            case LINEAR:
                return;
            case RELU:
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.max(v[i], 0f);
                }
                return;
            case RELU6:
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.min(Math.max(v[i], 0f), 6f);
                }
                return;
            case LEAKY_RELU:
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] >= 0 ? v[i] : fn.alpha() * v[i];
                }
                return;
            case SIGMOID:
                for (int i = 0; i < v.length; i++) {
                    v[i] = sigmoid(v[i]);
                }
                return;
            case HARD_SIGMOID:
                // tf.keras 2.x: clip(0.2·x + 0.5, 0, 1)
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.min(Math.max(0.2f * v[i] + 0.5f, 0f), 1f);
                }
                return;
            case TANH:
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) Math.tanh(v[i]);
                }
                return;
            case SWISH:
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] * sigmoid(v[i]);
                }
                return;
            case HARD_SWISH:
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] * Math.min(Math.max(v[i] + 3f, 0f), 6f) / 6f;
                }
                return;
            case SOFTMAX:
                softmax(v, v.length / Math.max(last, 1), last, 1);
                return;
            default:
                throw new IllegalStateException("activation " + fn);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** Softmax in place over an axis of length n, with {@code outer} blocks before and {@code inner} after it. */
    static void softmax(float[] v, int outer, int n, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, v[base + i * inner]);
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    float e = (float) Math.exp(v[base + i * inner] - max);
                    v[base + i * inner] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int i = 0; i < n; i++) {
                    v[base + i * inner] *= inv;
                }
            }
        }
    }

    enum BinaryOp { ADD, SUB, MUL }

    /** The numpy broadcast of two shapes, or null when they do not broadcast. */
    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Strides of {@code shape} aligned right inside {@code rank}, 0 on broadcast axes. */
    static int[] broadcastStrides(int[] shape, int[] out) {
        int rank = out.length;
        int[] s = new int[rank];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int j = i + rank - shape.length;
            s[j] = shape[i] == 1 && out[j] != 1 ? 0 : stride;
            stride *= shape[i];
        }
        return s;
    }

    static float[] binary(float[] a, int[] as, float[] b, int[] bs, int[] out, BinaryOp op) {
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        float[] r = new float[n];
        if (a.length == n && b.length == n) {
            for (int i = 0; i < n; i++) {
                r[i] = apply(op, a[i], b[i]);
            }
            return r;
        }
        int[] sa = broadcastStrides(as, out);
        int[] sb = broadcastStrides(bs, out);
        int rank = out.length;
        int[] idx = new int[rank];
        int ia = 0;
        int ib = 0;
        for (int i = 0; i < n; i++) {
            r[i] = apply(op, a[ia], b[ib]);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < out[d]) {
                    break;
                }
                ia -= sa[d] * out[d];
                ib -= sb[d] * out[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    private static float apply(BinaryOp op, float x, float y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            default: return x * y;
        }
    }
}

package k210studio.kpu.kmodel.v3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;

/**
 * The CPU layers of kmodel V3 with the arithmetic of the SDK's {@code kpu.c} (kmodel-v3.md §4,
 * kpu-arith.md §6.2). Float math is single precision in the SDK's loop order; {@code expf} is
 * {@code (float) Math.exp}. Every main-memory range a layer touches is checked first and its work
 * is charged to the run's budget.
 */
final class V3CpuLayers {
    private final byte[] m;
    private final ByteBuffer bb;

    V3CpuLayers(byte[] main) {
        this.m = main;
        this.bb = ByteBuffer.wrap(main).order(ByteOrder.LITTLE_ENDIAN);
    }

    private float f(long addr, long i) {
        return bb.getFloat((int) (addr + 4 * i));
    }

    private void f(long addr, long i, float v) {
        bb.putFloat((int) (addr + 4 * i), v);
    }

    private int u8(long addr, long i) {
        return m[(int) (addr + i)] & 0xFF;
    }

    private void u8(long addr, long i, int v) {
        m[(int) (addr + i)] = (byte) v;
    }

    static int clampU8(long v) {
        return v < 0 ? 0 : v > 255 ? 255 : (int) v;
    }

    /** C roundf: half away from zero. */
    static double roundf(float x) {
        double a = Math.floor(Math.abs((double) x) + 0.5);
        return x < 0 ? -a : a;
    }

    /** kpu_carry_shift (kmodel-v3.md §7.4). */
    static long carryShift(long v, int shift) {
        if (shift > 0) {
            v >>= (shift - 1);
            if ((v & 1) != 0) {
                v = v < 0 ? (v >> 1) - 1 : (v >> 1) + 1;
            } else {
                v >>= 1;
            }
        }
        return v;
    }

    static float activation(float v, long act) {
        if (act == 1) {
            return Math.max(v, 0f);
        }
        if (act == 2) {
            return Math.min(Math.max(v, 0f), 6f);
        }
        return v;
    }

    /** Runs one CPU layer; returns the elementary operation count charged. */
    long run(V3Runtime rt, int i, V3LayerBody b, V3Kpu kpu) throws KmodelFormatException {
        switch (b.type()) {
            case ADD: {
                AddBody a = (AddBody) b;
                long n = a.count();
                rt.range(i, "in_a", 4, a.inA(), 4 * n);
                rt.range(i, "in_b", 8, a.inB(), 4 * n);
                rt.range(i, "out", 12, a.out(), 4 * n);
                rt.charge(i, "count", n);
                for (long k = 0; k < n; k++) {
                    f(a.out(), k, f(a.inA(), k) + f(a.inB(), k));
                }
                return n;
            }
            case QUANTIZED_ADD:
                return quantizedAdd(rt, i, (QuantizedAddBody) b);
            case GLOBAL_AVERAGE_POOL2D: {
                GlobalAveragePool2dBody g = (GlobalAveragePool2dBody) b;
                long n = V3Runtime.mul(g.kernelSize(), g.channels());
                rt.range(i, "in", 4, g.in(), V3Runtime.mul(4, n));
                rt.range(i, "out", 8, g.out(), 4 * g.channels());
                rt.charge(i, "kernel_size x channels", n);
                long p = 0;
                for (long c = 0; c < g.channels(); c++) {
                    float sum = 0;
                    for (long k = 0; k < g.kernelSize(); k++) {
                        sum += f(g.in(), p++);
                    }
                    f(g.out(), c, sum / g.kernelSize());
                }
                return n;
            }
            case AVERAGE_POOL2D: {
                AveragePool2dBody p = (AveragePool2dBody) b;
                return floatPool(rt, i, p.in(), p.out(), p.inShape(), p.outShape(), p.kernelWidth(), p.kernelHeight(),
                        p.strideWidth(), p.strideHeight(), p.padWidth(), p.padHeight(), false, 0);
            }
            case MAX_POOL2D: {
                MaxPool2dBody p = (MaxPool2dBody) b;
                return floatPool(rt, i, p.in(), p.out(), p.inShape(), p.outShape(), p.kernelWidth(), p.kernelHeight(),
                        p.strideWidth(), p.strideHeight(), p.padWidth(), p.padHeight(), true, p.activation());
            }
            case QUANTIZED_MAX_POOL2D:
                return quantizedMaxPool(rt, i, (QuantizedMaxPool2dBody) b);
            case QUANTIZE: {
                QuantizeBody q = (QuantizeBody) b;
                long n = q.count();
                rt.range(i, "in", 4, q.in(), 4 * n);
                rt.range(i, "mem_out_address", 8, q.out(), n);
                rt.charge(i, "count", n);
                float scale = 1f / q.scale();
                float bias = q.bias();
                for (long k = 0; k < n; k++) {
                    double v = roundf((f(q.in(), k) - bias) * scale);
                    u8(q.out(), k, v < 0 ? 0 : v > 255 ? 255 : (int) v);
                }
                return n;
            }
            case DEQUANTIZE: {
                DequantizeBody q = (DequantizeBody) b;
                long n = q.count();
                rt.range(i, "in", 4, q.in(), n);
                rt.range(i, "out", 8, q.out(), 4 * n);
                rt.charge(i, "count", n);
                float scale = q.scale();
                float bias = q.bias();
                // read all inputs first: in and out may overlap in a corrupt model
                if (q.out() >= q.in() + n || q.out() + 4 * n <= q.in()) {
                    for (long k = 0; k < n; k++) {
                        f(q.out(), k, u8(q.in(), k) * scale + bias);
                    }
                } else {
                    byte[] src = new byte[(int) n];
                    System.arraycopy(m, (int) q.in(), src, 0, (int) n);
                    for (int k = 0; k < n; k++) {
                        f(q.out(), k, (src[k] & 0xFF) * scale + bias);
                    }
                }
                return n;
            }
            case REQUANTIZE: {
                RequantizeBody q = (RequantizeBody) b;
                long n = q.count();
                rt.range(i, "in", 4, q.in(), n);
                rt.range(i, "out", 8, q.out(), n);
                rt.charge(i, "count", n);
                byte[] t = q.tableRef();
                for (long k = 0; k < n; k++) {
                    m[(int) (q.out() + k)] = t[u8(q.in(), k)];
                }
                return n;
            }
            case L2_NORMALIZATION: {
                L2NormalizationBody l = (L2NormalizationBody) b;
                long n = l.channels();
                rt.range(i, "in", 4, l.in(), 4 * n);
                rt.range(i, "out", 8, l.out(), 4 * n);
                rt.charge(i, "channels", 2 * n);
                float sum = 0;
                for (long k = 0; k < n; k++) {
                    float v = f(l.in(), k);
                    sum += v * v;
                }
                sum = Math.max(sum, 1e-10f);
                float r = 1f / (float) Math.sqrt(sum);
                for (long k = 0; k < n; k++) {
                    f(l.out(), k, f(l.in(), k) * r);
                }
                return 2 * n;
            }
            case SOFTMAX: {
                SoftmaxBody s = (SoftmaxBody) b;
                long n = s.channels();
                rt.range(i, "in", 4, s.in(), 4 * n);
                rt.range(i, "out", 8, s.out(), 4 * n);
                rt.charge(i, "channels", 3 * n);
                float max = 1.17549435e-38f; // the SDK starts at FLT_MIN, the smallest positive normal
                for (long k = 0; k < n; k++) {
                    max = Math.max(max, f(s.in(), k));
                }
                float sum = 0;
                for (long k = 0; k < n; k++) {
                    float e = (float) Math.exp(f(s.in(), k) - max);
                    sum += e;
                    f(s.out(), k, e);
                }
                for (long k = 0; k < n; k++) {
                    f(s.out(), k, f(s.out(), k) / sum);
                }
                return 3 * n;
            }
            case LOGISTIC: {
                LogisticBody s = (LogisticBody) b;
                long n = s.channels();
                rt.range(i, "in", 4, s.in(), 4 * n);
                rt.range(i, "out", 8, s.out(), 4 * n);
                rt.charge(i, "channels", n);
                for (long k = 0; k < n; k++) {
                    f(s.out(), k, 1f / (1f + (float) Math.exp(-f(s.in(), k))));
                }
                return n;
            }
            case CONCAT:
            case QUANTIZED_CONCAT: {
                long out;
                java.util.List<V3MemoryRange> ins;
                if (b instanceof ConcatBody c) {
                    out = c.out();
                    ins = c.inputs();
                } else {
                    QuantizedConcatBody c = (QuantizedConcatBody) b;
                    out = c.out();
                    ins = c.inputs();
                }
                long total = 0;
                for (int k = 0; k < ins.size(); k++) {
                    V3MemoryRange r = ins.get(k);
                    rt.range(i, "inputs[" + k + "]", 12 + 8 * k, r.start(), r.size());
                    total += r.size();
                }
                rt.range(i, "out", 4, out, total);
                rt.charge(i, "inputs", total);
                long p = out;
                for (V3MemoryRange r : ins) {
                    System.arraycopy(m, (int) r.start(), m, (int) p, (int) r.size());
                    p += r.size();
                }
                return total;
            }
            case FULLY_CONNECTED:
                return fullyConnected(rt, i, (FullyConnectedBody) b);
            case TENSORFLOW_FLATTEN: {
                TensorflowFlattenBody t = (TensorflowFlattenBody) b;
                V3Shape s = t.shape();
                long n = V3Runtime.mul(V3Runtime.mul(s.width(), s.height()), s.channels());
                rt.range(i, "in", 4, t.in(), V3Runtime.mul(4, n));
                rt.range(i, "out", 8, t.out(), 4 * n);
                rt.charge(i, "shape", n);
                if (n == 0) {
                    return 0;
                }
                float[] src = new float[(int) n];
                for (int k = 0; k < n; k++) {
                    src[k] = f(t.in(), k);
                }
                long w = s.width();
                long h = s.height();
                long cc = s.channels();
                long p = 0;
                for (long y = 0; y < h; y++) {
                    for (long x = 0; x < w; x++) {
                        for (long c = 0; c < cc; c++) {
                            f(t.out(), p++, src[(int) ((c * h + y) * w + x)]);
                        }
                    }
                }
                return n;
            }
            case RESIZE_NEAREST_NEIGHBOR: {
                ResizeNearestNeighborBody r = (ResizeNearestNeighborBody) b;
                return resize(rt, i, r.in(), r.out(), r.inShape(), r.outWidth(), r.outHeight(), 4);
            }
            case QUANTIZED_RESIZE_NEAREST_NEIGHBOR: {
                QuantizedResizeNearestNeighborBody r = (QuantizedResizeNearestNeighborBody) b;
                return resize(rt, i, r.in(), r.out(), r.inShape(), r.outWidth(), r.outHeight(), 1);
            }
            case CHANNELWISE_DEQUANTIZE: {
                ChannelwiseDequantizeBody d = (ChannelwiseDequantizeBody) b;
                long n = V3Runtime.mul(d.channels(), d.channelSize());
                rt.range(i, "in", 4, d.in(), n);
                rt.range(i, "out", 8, d.out(), V3Runtime.mul(4, n));
                rt.charge(i, "channels x channel_size", n);
                float[] sc = d.scalesRef();
                float[] bi = d.biasesRef();
                long p = 0;
                for (int c = 0; c < d.channels(); c++) {
                    for (long k = 0; k < d.channelSize(); k++, p++) {
                        f(d.out(), p, u8(d.in(), p) * sc[c] + bi[c]);
                    }
                }
                return n;
            }
            case K210_ADD_PADDING: {
                K210AddPaddingBody a = (K210AddPaddingBody) b;
                rt.range(i, "in", 4, a.in(), a.channels());
                rt.charge(i, "channels", a.channels());
                kpu.addPadding(rt, i, a, m);
                return a.channels();
            }
            case K210_REMOVE_PADDING: {
                K210RemovePaddingBody r = (K210RemovePaddingBody) b;
                long n = r.channels();
                rt.range(i, "in", 4, r.in(), n == 0 ? 0 : 16 * (n - 1) + 1);
                rt.range(i, "out", 8, r.out(), n);
                rt.charge(i, "channels", n);
                for (long c = 0; c < n; c++) {
                    m[(int) (r.out() + c)] = m[(int) (r.in() + 16 * c)];
                }
                return n;
            }
            case K210_UPLOAD: {
                K210UploadBody u = (K210UploadBody) b;
                long n = V3Runtime.mul(V3Runtime.mul(u.width(), u.height()), u.channels());
                rt.range(i, "in", 4, u.in(), n);
                rt.charge(i, "width x height x channels", n);
                kpu.upload(rt, i, u, m);
                return n;
            }
            default:
                throw rt.error(i, 0, "type", "is not a CPU layer");
        }
    }

    private long quantizedAdd(V3Runtime rt, int i, QuantizedAddBody q) throws KmodelFormatException {
        long n = q.count();
        rt.range(i, "in_a", 4, q.inA(), n);
        rt.range(i, "in_b", 8, q.inB(), n);
        rt.range(i, "out", 12, q.out(), n);
        rt.charge(i, "count", n);
        long offA = q.inAOffset();
        long mulA = q.inAMul();
        int shA = q.inAShift();
        long offB = q.inBOffset();
        long mulB = q.inBMul();
        int shB = q.inBShift();
        long offO = q.outOffset();
        long mulO = q.outMul();
        int shO = q.outShift();
        for (long k = 0; k < n; k++) {
            long a = (u8(q.inA(), k) + offA) * mulA;
            long bv = (u8(q.inB(), k) + offB) * mulB;
            long v = shA == shB ? (a + bv) >> shA : (a >> shA) + (bv >> shB);
            v = carryShift(v * mulO, shO) + offO;
            u8(q.out(), k, clampU8(v));
        }
        return n;
    }

    private long poolWork(V3Runtime rt, int i, V3Shape in, V3Shape out, long kw, long kh, long elemBytes,
                          long inAddr, long outAddr) throws KmodelFormatException {
        if (out.channels() > in.channels()) {
            throw rt.error(i, 20, "out_shape.channels", "is " + out.channels() + ", more than in_shape.channels ("
                    + in.channels() + ")");
        }
        rt.range(i, "in", 4, inAddr, V3Runtime.mul(elemBytes, in.elements()));
        rt.range(i, "out", 8, outAddr, V3Runtime.mul(elemBytes, out.elements()));
        long work = V3Runtime.mul(V3Runtime.mul(out.elements(), Math.min(kw, in.width()) + 1),
                Math.min(kh, in.height()) + 1);
        rt.charge(i, "pool", work);
        return work;
    }

    private long floatPool(V3Runtime rt, int i, long inAddr, long outAddr, V3Shape in, V3Shape out, long kw, long kh,
                           long sw, long sh, long pw, long ph, boolean max, long act) throws KmodelFormatException {
        long work = poolWork(rt, i, in, out, kw, kh, 4, inAddr, outAddr);
        eachWindow(in, out, kw, kh, sw, sh, pw, ph, (w, p) -> {
            float v = max ? -Float.MAX_VALUE : 0f;
            int count = 0;
            for (long ky = w.ky0; ky < w.ky1; ky++) {
                for (long kx = w.kx0; kx < w.kx1; kx++) {
                    float s = f(inAddr, w.at(ky, kx));
                    v = max ? Math.max(v, s) : v + s;
                    count++;
                }
            }
            f(outAddr, p, max ? activation(v, act) : v / count);
        });
        return work;
    }

    private long quantizedMaxPool(V3Runtime rt, int i, QuantizedMaxPool2dBody q) throws KmodelFormatException {
        long work = poolWork(rt, i, q.inShape(), q.outShape(), q.kernelWidth(), q.kernelHeight(), 1, q.in(), q.out());
        eachWindow(q.inShape(), q.outShape(), q.kernelWidth(), q.kernelHeight(), q.strideWidth(), q.strideHeight(),
                q.padWidth(), q.padHeight(), (w, p) -> {
                    int v = 0;
                    for (long ky = w.ky0; ky < w.ky1; ky++) {
                        for (long kx = w.kx0; kx < w.kx1; kx++) {
                            v = Math.max(v, u8(q.in(), w.at(ky, kx)));
                        }
                    }
                    u8(q.out(), p, v);
                });
        return work;
    }

    /** The in-image taps of one pooling window (CHW input): kernel rows ky0..ky1, columns kx0..kx1. */
    private static final class Window {
        long base;
        long iw;
        long x0;
        long y0;
        long kx0;
        long kx1;
        long ky0;
        long ky1;

        /** Input element index of tap (ky, kx). */
        long at(long ky, long kx) {
            return base + (y0 + ky) * iw + x0 + kx;
        }
    }

    private interface WindowOutput {
        void at(Window w, long outIndex);
    }

    /** Calls {@code fn} for every output element in CHW order with its window's in-image taps. */
    private static void eachWindow(V3Shape in, V3Shape out, long kw, long kh, long sw, long sh, long pw, long ph,
                                   WindowOutput fn) {
        if (out.elements() == 0) {
            return;
        }
        Window w = new Window();
        w.iw = in.width();
        long ih = in.height();
        long p = 0;
        for (long c = 0; c < out.channels(); c++) {
            w.base = c * ih * w.iw;
            for (long oy = 0; oy < out.height(); oy++) {
                for (long ox = 0; ox < out.width(); ox++) {
                    w.x0 = ox * sw - pw;
                    w.y0 = oy * sh - ph;
                    w.kx0 = Math.max(0, -w.x0);
                    w.kx1 = Math.min(kw, w.iw - w.x0);
                    w.ky0 = Math.max(0, -w.y0);
                    w.ky1 = Math.min(kh, ih - w.y0);
                    fn.at(w, p++);
                }
            }
        }
    }

    private long fullyConnected(V3Runtime rt, int i, FullyConnectedBody fc) throws KmodelFormatException {
        long in = fc.inChannels();
        long out = fc.outChannels();
        rt.range(i, "in", 4, fc.in(), 4 * in);
        rt.range(i, "out", 8, fc.out(), 4 * out);
        rt.charge(i, "in_channels x out_channels", in * out + out);
        float[] x = new float[(int) in];
        for (int k = 0; k < in; k++) {
            x[k] = f(fc.in(), k);
        }
        float[] w = fc.weightsRef();
        float[] bias = fc.biasesRef();
        int wi = 0;
        for (int o = 0; o < out; o++) {
            float sum = 0;
            for (int k = 0; k < in; k++) {
                sum += x[k] * w[wi++];
            }
            f(fc.out(), o, activation(sum + bias[o], fc.activation()));
        }
        return in * out + out;
    }

    private long resize(V3Runtime rt, int i, long inAddr, long outAddr, V3Shape in, long ow, long oh, int eb)
            throws KmodelFormatException {
        long outCount = V3Runtime.mul(V3Runtime.mul(ow, oh), in.channels());
        rt.range(i, "in", 4, inAddr, V3Runtime.mul(eb, in.elements()));
        rt.range(i, "out", 8, outAddr, V3Runtime.mul(eb, outCount));
        if (outCount > 0 && (in.width() == 0 || in.height() == 0)) {
            throw rt.error(i, 12, "in_shape", "has width or height 0 but the output is not empty");
        }
        rt.charge(i, "out_width x out_height x channels", outCount);
        if (outCount == 0) {
            return 0;
        }
        float hs = (float) in.height() / oh;
        float ws = (float) in.width() / ow;
        long p = 0;
        for (long c = 0; c < in.channels(); c++) {
            long base = c * in.height() * in.width();
            for (long oy = 0; oy < oh; oy++) {
                long iy = Math.min((long) Math.floor(oy * hs), in.height() - 1);
                for (long ox = 0; ox < ow; ox++) {
                    long ix = Math.min((long) Math.floor(ox * ws), in.width() - 1);
                    long src = base + iy * in.width() + ix;
                    if (eb == 4) {
                        f(outAddr, p++, f(inAddr, src));
                    } else {
                        u8(outAddr, p++, u8(inAddr, src));
                    }
                }
            }
        }
        return outCount;
    }

    /** The output tensor of a CPU layer (main memory or KPU RAM), for traces. */
    KmodelTensor snapshot(V3LayerBody b, V3Kpu kpu) {
        if (b instanceof K210AddPaddingBody a) {
            return kpu.download((int) a.kpuOut(), 4, 4, (int) a.channels());
        }
        if (b instanceof K210UploadBody u) {
            return kpu.download((int) u.kpuOut(), (int) u.width(), (int) u.height(), (int) u.channels());
        }
        java.util.Map<Long, int[]> shapes = new java.util.HashMap<>();
        java.util.Map<Long, ElementType> types = new java.util.HashMap<>();
        LayerShapes.record(b, shapes, types);
        if (types.size() != 1) {
            return null;
        }
        long addr = types.keySet().iterator().next();
        ElementType t = types.get(addr);
        int[] s = shapes.get(addr);
        if (s == null) {
            return null;
        }
        long bytes = (long) t.byteSize();
        for (int d : s) {
            bytes *= d;
        }
        if (addr + bytes > m.length) {
            return null;
        }
        return KmodelTensor.ofBytes(t, s, m, (int) addr, (int) bytes);
    }

}

package k210studio.converter.compile.lower;

import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * V4: a convolution the KPU cannot run — a 5×5 or 7×7 kernel, more than 1024 channels, an output under 4×4 — runs as
 * nncase 0.2 runs it, a float conv2d on the CPU (any stride and dilation), with ReLU/ReLU6 fused as its clamp and a leaky ReLU as a CPU op after it.
 * Slower than a KPU layer (the studio's fix — 5×5 → two 3×3 — keeps it on the KPU); V3 has no such layer.
 */
final class CpuConvLowering {
    private final LoweringContext ctx;
    private final ProgramBuilder b;

    CpuConvLowering(LoweringContext ctx, ProgramBuilder b) {
        this.ctx = ctx;
        this.b = b;
    }

    /**
     * Whether this conv is one for the CPU: V4, and its kernel (not 1×1 or 3×3), its channels (over 1024) or its output
     * (under 4×4) keep it off the KPU — the cases the checker judges "CPU" for V4 (rules K1, K6, K4).
     */
    static boolean takes(LoweringContext ctx, Layer l) {
        if (ctx.v3() || KpuConvSuitability.reason(ctx, l) == null) {
            return false;
        }
        TensorShape x = ctx.shapes.shape(ctx.g.inputsOf(l.id()).get(0));
        TensorShape y = ctx.shapes.shape(l.id());
        if (x == null || !x.isImage() || y == null || !y.isImage()) {
            return false;
        }
        boolean sizeOff = x.c() > 1024 || y.c() > 1024 || y.h() < 4 || y.w() < 4;
        KpuConvSuitability.Window w = KpuConvSuitability.Window.of(l.params());
        return w != null && (sizeOff || kernelOff(w.kernelH(), w.kernelW()));
    }

    private static boolean kernelOff(int kh, int kw) {
        return kh != kw || (kh != 1 && kh != 3);
    }

    void lower(Layer l) throws CompileException {
        PlannedValue in = b.asFloat(b.producer(l, 0));
        TensorShape y = ctx.shapes.shape(l.id());
        KpuConvSuitability.Window win = KpuConvSuitability.Window.of(l.params());
        int kh = win.kernelH();
        int kw = win.kernelW();
        int groups = win.depthwise() ? in.c() : 1;
        ActivationFn act = win.activation();
        float[] weights = oihw(l.weight(win.depthwise() ? "depthwise_kernel" : "kernel"), win.depthwise());
        boolean clampOnly = act.isLinear() || act.kind() == ActivationFn.Kind.RELU || act.kind() == ActivationFn.Kind.RELU6;
        if (!clampOnly && act.kind() != ActivationFn.Kind.LEAKY_RELU) {
            throw ctx.unsupported(l, "activation " + act + " after a " + kh + "×" + kw + " convolution the CPU runs",
                    "use relu, relu6 or leaky_relu, or make the kernel 1×1/3×3 so that the KPU runs it");
        }
        ConvGeometry rows = ConvGeometry.of(in.h(), kh, win.strideH(), win.dilationH(), win.padding());
        ConvGeometry cols = ConvGeometry.of(in.w(), kw, win.strideW(), win.dilationW(), win.padding());
        float[] bias = win.useBias() ? l.weight("bias").data().clone() : new float[y.c()];
        PlannedValue out = b.floatValue(l, y.c(), y.h(), y.w());
        b.add(new PlanStep.CpuConv(l.name(), in, out, weights, bias, groups, kh, kw, win.strideH(), win.strideW(),
                win.dilationH(), win.dilationW(), rows.padBefore(),
                rows.padAfter(), cols.padBefore(), cols.padAfter(), clampOnly ? act : ActivationFn.LINEAR));
        b.note(l.name() + ": " + KpuConvSuitability.reason(ctx, l) + ", so this " + kh + "×" + kw + " convolution runs on the CPU as a "
                + "float conv2d, as nncase 0.2 does (slow: " + String.format(java.util.Locale.ROOT, "%,d",
                (long) y.h() * y.w() * y.c() * kh * kw * (in.c() / groups)) + " multiply-adds)"
                + (kernelOff(kh, kw) ? ". Stacked 3×3 convolutions (the studio's fix) keep it on the KPU." : "."));
        if (!clampOnly) {
            PlannedValue act2 = b.floatValue(l, y.c(), y.h(), y.w());
            PlannedValue scratch = new PlannedValue(l.name() + ":alpha_x", Storage.MAIN_F32, y.c(), y.h(), y.w(), null);
            b.add(new PlanStep.CpuActivation(l.name(), out, act2, scratch, act));
            out = act2;
        }
        b.put(l.id(), out);
    }

    /** An IR kernel (HWIO, or HW·C·multiplier for depthwise) as [oc][ic/groups][kh][kw]. */
    private static float[] oihw(Tensor k, boolean depthwise) {
        int kh = k.dim(0);
        int kw = k.dim(1);
        int ic = k.dim(2);
        int oc = k.dim(3);
        float[] src = k.data();
        float[] out = new float[src.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < ic; i++) {
                    for (int o = 0; o < oc; o++) {
                        float v = src[((y * kw + x) * ic + i) * oc + o];
                        if (depthwise) {
                            out[((i * oc + o) * kh + y) * kw + x] = v; // output channel i·multiplier + o, one input each
                        } else {
                            out[((o * ic + i) * kh + y) * kw + x] = v;
                        }
                    }
                }
            }
        }
        return out;
    }
}

package k210studio.converter.compile.lower;

import java.util.Locale;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.quant.QuantParam;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;

/**
 * The network input: an image that only KPU convs read arrives as uint8 planar RGB (in KPU RAM, or in main memory
 * when the first conv needs CPU padding), as MaixPy feeds the camera; on V4 so does an RGB/grey image a CPU layer reads
 * first (dequantized there); anything else is float32 in main memory.
 */
final class InputLowering {
    private InputLowering() {
    }

    static void lower(LoweringContext ctx, LoweringPlan plan, ProgramBuilder b, Layer l, Input in) throws CompileException {
        TensorShape s = in.shape();
        boolean image = s.isImage();
        boolean feedsKpu = image && !ctx.g.consumersOf(l.id()).isEmpty();
        for (String c : ctx.g.consumersOf(l.id())) {
            feedsKpu &= plan.convs().kpuCandidate(ctx, ctx.g.layer(c));
        }
        boolean prePadded = false;
        for (String c : ctx.g.consumersOf(l.id())) {
            if (feedsKpu) {
                String conv = ctx.g.layer(c).params() instanceof ZeroPadding2D ? ctx.soleConsumer(c) : c;
                prePadded |= plan.convs().mapping(conv).prePads();
            }
        }
        // V4: an RGB or grey image whose first layer is on the CPU (a 5×5 conv, say) still takes the camera's bytes
        boolean cameraBytes = image && !ctx.v3() && (s.c() == 1 || s.c() == 3) && !ctx.g.consumersOf(l.id()).isEmpty();
        if (feedsKpu || cameraBytes) {
            QuantParam q = QuantParam.of(ctx.opt.inputRange(), ctx.rules);
            boolean inMain = prePadded || !feedsKpu;
            PlannedValue v = new PlannedValue(l.name(), inMain ? Storage.MAIN_U8 : Storage.KPU, s.c(), s.h(), s.w(), q);
            b.input(l.id(), v);
            b.note(String.format(Locale.ROOT, "input: uint8 %s×%s×%s planar RGB in " + (inMain ? "main memory" : "KPU RAM")
                    + ", real value = (pixel − %s) / %s "
                    + "(quantization scale %.6g, zero point %d)", s.w(), s.h(), s.c(), ctx.opt.mean(), ctx.opt.std(), q.scale(),
                    q.zeroPoint()));
        } else {
            int c = s.c();
            int h = image ? s.h() : 1;
            int w = image ? s.w() : 1;
            if (!image && s.rank() != 1) {
                throw new CompileException("input " + l.name() + " of shape " + s + " is neither an image nor a vector", l.name());
            }
            PlannedValue v = new PlannedValue(l.name(), Storage.MAIN_F32, c, h, w, null);
            v.pinAtZero();
            b.input(l.id(), v);
            b.note("input: float32 " + s + " in main memory at offset 0");
        }
    }
}

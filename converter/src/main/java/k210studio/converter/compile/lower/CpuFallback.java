package k210studio.converter.compile.lower;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.PlanStep;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.compile.prepare.GraphEdits;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.shape.ConvGeometry;
import k210studio.ir.tensor.TensorShape;

/**
 * CPU fallback: every layer that is not an input, a KPU conv or a Dense runs on the CPU the way nncase's runtime does
 * (float32, or uint8 for padding, V3 max pooling), or the compile stops naming the layer and what to do instead.
 */
final class CpuFallback {
    private final LoweringContext ctx;
    private final ProgramBuilder b;

    CpuFallback(LoweringContext ctx, ProgramBuilder b) {
        this.ctx = ctx;
        this.b = b;
    }

    void lower(Layer l) throws CompileException {
        LayerParams p = l.params();
        ActivationFn elementwise = GraphEdits.elementwise(p);
        if (p instanceof ZeroPadding2D z) {
            lowerPadding(l, z);
        } else if (p instanceof Flatten || p instanceof Reshape) {
            lowerFlatten(l);
        } else if (p instanceof GlobalAveragePooling2D) {
            PlannedValue in = b.asFloat(b.producer(l, 0));
            PlannedValue out = b.floatValue(l, in.c(), 1, 1);
            b.add(new PlanStep.GlobalAveragePool(l.name(), in, out));
            b.put(l.id(), out);
        } else if (p instanceof Softmax || p instanceof Activation a && a.fn().kind() == ActivationFn.Kind.SOFTMAX) {
            PlannedValue in = b.asFloat(b.producer(l, 0));
            if (in.h() != 1 || in.w() != 1) {
                throw ctx.unsupported(l, "softmax over a feature map (" + in.c() + " channels × " + in.h() + "×" + in.w() + ")",
                        "flatten first or use V4");
            }
            PlannedValue out = b.floatValue(l, in.c(), 1, 1);
            b.add(new PlanStep.Softmax(l.name(), in, out));
            b.put(l.id(), out);
        } else if (p instanceof Activation a && a.fn().kind() == ActivationFn.Kind.SIGMOID) {
            PlannedValue in = b.asFloat(b.producer(l, 0));
            PlannedValue out = b.floatValue(l, in.c(), in.h(), in.w());
            b.add(new PlanStep.Logistic(l.name(), in, out));
            b.put(l.id(), out);
        } else if (p instanceof Activation a && a.fn().isLinear()) {
            b.alias(l.id(), b.producer(l, 0));
        } else if (p instanceof Add) {
            lowerAdd(l);
        } else if (p instanceof Concatenate c) {
            lowerConcat(l, c);
        } else if (p instanceof MaxPooling2D || p instanceof AveragePooling2D) {
            lowerPool(l);
        } else if (p instanceof UpSampling2D u && u.interpolation() == Interpolation.NEAREST) {
            PlannedValue in = b.asFloat(b.producer(l, 0));
            TensorShape s = ctx.shapes.shape(l.id());
            PlannedValue out = b.floatValue(l, s.c(), s.h(), s.w());
            b.add(new PlanStep.ResizeNearest(l.name(), in, out));
            b.put(l.id(), out);
        } else if (elementwise != null && cpuActivation(elementwise)) {
            lowerActivation(l, elementwise);
        } else {
            throw ctx.unsupported(l, p.kerasName() + " has no " + ctx.targetName() + " layer", ctx.alternatives(p));
        }
    }

    /** A ZeroPadding2D no KPU conv absorbed: a uint8 pad on V4; V3 has no padding layer. */
    private void lowerPadding(Layer l, ZeroPadding2D z) throws CompileException {
        if (ctx.v3()) {
            String consumer = ctx.soleConsumer(l.id());
            String why = "";
            if (consumer != null && KpuConvSuitability.absorbsPadding(ctx, ctx.g.layer(consumer))) {
                Layer conv = ctx.g.layer(consumer);
                why = "; " + conv.name() + " cannot take it: " + PaddingMapping.geometryReason(ctx, conv, ConvSpec.of(ctx, conv));
            }
            throw ctx.unsupported(l, "a ZeroPadding2D that no KPU convolution can absorb (kmodel V3 has no padding layer" + why + ")",
                    "put it right before a 1×1 or 3×3 convolution, or compile for V4");
        }
        PlannedValue src = b.asMainU8(b.producer(l, 0));
        TensorShape s = ctx.shapes.shape(l.id());
        PlannedValue out = new PlannedValue(l.name(), Storage.MAIN_U8, s.c(), s.h(), s.w(), src.quant());
        b.add(new PlanStep.PadU8(l.name(), src, out, z.top(), z.bottom(), z.left(), z.right()));
        b.put(l.id(), out);
    }

    private void lowerAdd(Layer l) throws CompileException {
        if (ctx.g.inputsOf(l.id()).size() != 2) {
            throw ctx.unsupported(l, "Add of " + ctx.g.inputsOf(l.id()).size() + " inputs", "chain two-input Adds");
        }
        PlannedValue a = b.asFloat(b.producer(l, 0));
        PlannedValue c = b.asFloat(b.producer(l, 1));
        PlannedValue out = b.floatValue(l, a.c(), a.h(), a.w());
        b.add(new PlanStep.Add(l.name(), a, c, out));
        b.put(l.id(), out);
    }

    private static boolean cpuActivation(ActivationFn fn) {
        return fn.kind() == ActivationFn.Kind.RELU || fn.kind() == ActivationFn.Kind.RELU6
                || fn.kind() == ActivationFn.Kind.LEAKY_RELU && fn.alpha() >= 0f;
    }

    /**
     * An activation the preparer could not fuse into a convolution (its producer is not a conv, or feeds other layers
     * too): V4 runs it on the CPU in float (binary max/min with a constant); V3 has no layer for it.
     */
    private void lowerActivation(Layer l, ActivationFn fn) throws CompileException {
        if (ctx.v3()) {
            throw ctx.unsupported(l, "a standalone " + fn + " that no convolution right before it can apply (kmodel V3 has no "
                    + "element-wise activation layer)", "make it the activation of the convolution before it, or compile for V4");
        }
        PlannedValue in = b.asFloat(b.producer(l, 0));
        PlannedValue out = b.floatValue(l, in.c(), in.h(), in.w());
        PlannedValue scratch = fn.kind() == ActivationFn.Kind.LEAKY_RELU
                ? new PlannedValue(l.name() + ":alpha_x", Storage.MAIN_F32, in.c(), in.h(), in.w(), null) : null;
        b.add(new PlanStep.CpuActivation(l.name(), in, out, scratch, fn));
        b.put(l.id(), out);
    }

    private void lowerFlatten(Layer l) throws CompileException {
        PlannedValue in = b.asFloat(b.producer(l, 0));
        TensorShape s = ctx.shapes.shape(l.id());
        if (l.params() instanceof Reshape r && r.dynamic()) {
            throw ctx.unsupported(l, "a Reshape whose shape is computed at run time (SHAPE → STRIDED_SLICE → PACK)",
                    "apply the studio's fix: make it a static Reshape");
        }
        // values other than H×W×C maps are stored flat in TensorFlow's row-major order, so reshaping them moves no
        // data; a map (stored CHW) is flattened in HWC order, whatever the (non-image) target shape
        boolean toMap = s.isImage() && (s.h() != 1 || s.w() != 1);
        if (toMap || s.elements() != in.elements()) {
            throw ctx.unsupported(l, "Reshape from " + in.h() + "×" + in.w() + "×" + in.c() + " to " + s
                    + " (only flattening to a vector or an N×k matrix is supported)", "use Flatten");
        }
        if (in.h() == 1 && in.w() == 1) {
            b.alias(l.id(), b.producer(l, 0));
            return;
        }
        PlannedValue out = b.floatValue(l, (int) s.elements(), 1, 1);
        b.add(new PlanStep.FlattenHwc(l.name(), in, out));
        b.put(l.id(), out);
    }

    private void lowerConcat(Layer l, Concatenate c) throws CompileException {
        TensorShape s = ctx.shapes.shape(l.id());
        int axis = c.axis() < 0 ? s.rank() + 1 + c.axis() : c.axis();
        // channels of maps (CHW: one block per input) or of vectors; or the first axis of flat N×k… tensors (stored
        // row-major): both are a concatenation of the inputs' bytes
        boolean channels = axis == s.rank() && (s.rank() == 1 || s.isImage());
        boolean rows = axis == 1 && s.rank() >= 2 && !s.isImage();
        if (!channels && !rows) {
            throw ctx.unsupported(l, "Concatenate on axis " + c.axis() + " of " + s + " (only the channel axis of feature maps and "
                    + "vectors, or the first axis of N×k tensors, is supported)", "concatenate channels");
        }
        List<PlannedValue> ins = new ArrayList<>();
        for (int i = 0; i < ctx.g.inputsOf(l.id()).size(); i++) {
            ins.add(b.asFloat(b.producer(l, i)));
        }
        PlannedValue first = ins.get(0);
        PlannedValue out = rows ? b.floatValue(l, (int) s.elements(), 1, 1) : b.floatValue(l, s.c(), first.h(), first.w());
        b.add(new PlanStep.Concat(l.name(), ins, out));
        b.put(l.id(), out);
    }

    private void lowerPool(Layer l) throws CompileException {
        boolean max = l.params() instanceof MaxPooling2D;
        int ph;
        int pw;
        int sh;
        int sw;
        Padding pad;
        if (max) {
            MaxPooling2D m = (MaxPooling2D) l.params();
            ph = m.poolH();
            pw = m.poolW();
            sh = m.strideH();
            sw = m.strideW();
            pad = m.padding();
        } else {
            AveragePooling2D a = (AveragePooling2D) l.params();
            ph = a.poolH();
            pw = a.poolW();
            sh = a.strideH();
            sw = a.strideW();
            pad = a.padding();
        }
        TensorShape x = ctx.shapes.shape(b.producer(l, 0));
        TensorShape s = ctx.shapes.shape(l.id());
        ConvGeometry gh = ConvGeometry.of(x.h(), ph, sh, 1, pad);
        ConvGeometry gw = ConvGeometry.of(x.w(), pw, sw, 1, pad);
        PlannedValue in;
        PlannedValue out;
        if (max && ctx.v3()) {
            in = b.asMainU8(b.producer(l, 0));
            out = new PlannedValue(l.name(), Storage.MAIN_U8, s.c(), s.h(), s.w(), in.quant());
        } else {
            in = b.asFloat(b.producer(l, 0));
            out = b.floatValue(l, s.c(), s.h(), s.w());
        }
        b.add(new PlanStep.Pool(l.name(), max, in, out, ph, pw, sh, sw, gh.padBefore(), gw.padBefore()));
        b.put(l.id(), out);
    }
}

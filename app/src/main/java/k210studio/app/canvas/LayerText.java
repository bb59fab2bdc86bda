package k210studio.app.canvas;

import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;

/** The one-line parameter summary shown under a layer's name on the canvas ("32 · 3×3 /2 · same · relu"). */
public final class LayerText {
    private LayerText() {
    }

    /**
     * A layer name that fits {@code maxWidth} pixels in {@code font}: TFLite's long tensor names
     * ("MobilenetV1/MobilenetV1/Conv2d_13_pointwise/Relu6;MobilenetV1/…") keep the part before the first ';' and
     * then their last path segments ("…/Conv2d_13_pointwise/Relu6"); what still does not fit loses its middle.
     * A name that fits is returned as it is.
     */
    public static String shortName(String name, double maxWidth, javafx.scene.text.Font font) {
        if (width(name, font) <= maxWidth) {
            return name;
        }
        String s = name.contains(";") ? name.substring(0, name.indexOf(';')) : name;
        if (s.isEmpty()) {
            s = name;
        }
        String[] parts = s.split("/");
        if (parts.length > 1) {
            String tail = parts[parts.length - 1];
            for (int i = parts.length - 2; i >= 0 && width("…/" + parts[i] + "/" + tail, font) <= maxWidth; i--) {
                tail = parts[i] + "/" + tail;
            }
            s = tail.equals(s) ? s : "…/" + tail;
        }
        if (width(s, font) <= maxWidth) {
            return s;
        }
        // keep the start and the end, which say most (layer kind and index)
        int keep = s.length();
        String cut = s;
        while (keep > 4 && width(cut, font) > maxWidth) {
            keep--;
            int head = (keep + 1) / 2;
            cut = s.substring(0, head) + "…" + s.substring(s.length() - (keep - head));
        }
        return cut;
    }

    private static double width(String s, javafx.scene.text.Font font) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    public static String summary(LayerParams p) {
        if (p instanceof Input in) {
            return in.shape().toString();
        }
        if (p instanceof Conv2D c) {
            return c.filters() + " · " + kernel(c.kernelH(), c.kernelW()) + stride(c.strideH(), c.strideW()) + " · "
                    + c.padding().keras() + dil(c.dilationH(), c.dilationW()) + act(c.activation());
        }
        if (p instanceof DepthwiseConv2D c) {
            return kernel(c.kernelH(), c.kernelW()) + stride(c.strideH(), c.strideW()) + " · " + c.padding().keras()
                    + (c.depthMultiplier() != 1 ? " · ×" + c.depthMultiplier() : "") + dil(c.dilationH(), c.dilationW()) + act(c.activation());
        }
        if (p instanceof SeparableConv2D c) {
            return c.filters() + " · " + kernel(c.kernelH(), c.kernelW()) + stride(c.strideH(), c.strideW()) + " · "
                    + c.padding().keras() + act(c.activation());
        }
        if (p instanceof Conv2DTranspose c) {
            return c.filters() + " · " + kernel(c.kernelH(), c.kernelW()) + stride(c.strideH(), c.strideW()) + " · "
                    + c.padding().keras() + act(c.activation());
        }
        if (p instanceof ZeroPadding2D z) {
            return "((" + z.top() + "," + z.bottom() + "),(" + z.left() + "," + z.right() + "))";
        }
        if (p instanceof MaxPooling2D m) {
            return kernel(m.poolH(), m.poolW()) + stride(m.strideH(), m.strideW()) + " · " + m.padding().keras();
        }
        if (p instanceof AveragePooling2D m) {
            return kernel(m.poolH(), m.poolW()) + stride(m.strideH(), m.strideW()) + " · " + m.padding().keras();
        }
        if (p instanceof Dense d) {
            return d.units() + " units" + act(d.activation());
        }
        if (p instanceof Activation a) {
            return a.fn().toString();
        }
        if (p instanceof ReLU r) {
            return r.maxValue() == null ? "relu" : "max " + trim(r.maxValue());
        }
        if (p instanceof LeakyReLU l) {
            return "α " + trim(l.alpha());
        }
        if (p instanceof Dropout d) {
            return "rate " + trim(d.rate());
        }
        if (p instanceof BatchNormalization b) {
            return "ε " + b.epsilon();
        }
        if (p instanceof Reshape r) {
            return "→ " + r.targetShape() + (r.dynamic() ? " (dynamic)" : "");
        }
        if (p instanceof UpSampling2D u) {
            return "×" + u.sizeH() + (u.sizeH() != u.sizeW() ? "×" + u.sizeW() : "") + " " + u.interpolation().name().toLowerCase();
        }
        if (p instanceof k210studio.ir.layer.Resizing r) {
            return "→ " + r.height() + "×" + r.width() + " " + r.interpolation().name().toLowerCase();
        }
        if (p instanceof Concatenate c) {
            return "axis " + c.axis();
        }
        return "";
    }

    private static String kernel(int h, int w) {
        return h + "×" + w;
    }

    private static String stride(int h, int w) {
        if (h == 1 && w == 1) {
            return "";
        }
        return h == w ? " /" + h : " /" + h + "×" + w;
    }

    private static String dil(int h, int w) {
        return h == 1 && w == 1 ? "" : " · dil " + h + (h != w ? "×" + w : "");
    }

    private static String act(ActivationFn a) {
        return a.isLinear() ? "" : " · " + a;
    }

    static String trim(float f) {
        if (f == Math.rint(f)) {
            return Integer.toString((int) f);
        }
        return Float.toString(f);
    }
}

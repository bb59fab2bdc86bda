package k210studio.ir.shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.TensorShape;

/** Output shapes exactly as TensorFlow/Keras compute them (batch dimension left out). */
public final class ShapeInference {
    private ShapeInference() {
    }

    public static ShapeResult infer(Graph g) {
        Map<String, TensorShape> shapes = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        List<String> order;
        try {
            order = g.topologicalOrder();
        } catch (GraphException e) {
            for (String id : g.ids()) {
                errors.put(id, e.getMessage());
            }
            return new ShapeResult(shapes, errors);
        }
        for (String id : order) {
            Layer l = g.layer(id);
            List<TensorShape> ins = new ArrayList<>();
            boolean known = true;
            for (String p : g.inputsOf(id)) {
                TensorShape s = shapes.get(p);
                if (s == null) {
                    known = false;
                    break;
                }
                ins.add(s);
            }
            if (!known) {
                errors.put(id, "input shape unknown (an earlier layer has a problem)");
                continue;
            }
            try {
                shapes.put(id, outputShape(l.params(), ins));
            } catch (IllegalArgumentException e) {
                errors.put(id, e.getMessage());
            }
        }
        return new ShapeResult(shapes, errors);
    }

    /**
     * The output shape of one layer given its input shapes.
     *
     * @throws IllegalArgumentException with a user-facing reason when the inputs do not fit the layer
     */
    public static TensorShape outputShape(LayerParams p, List<TensorShape> ins) {
        if (ins.size() < p.minInputs()) {
            throw new IllegalArgumentException(p.kerasName() + " is not connected (needs "
                    + (p.minInputs() == 1 ? "an input" : p.minInputs() + " inputs") + ")");
        }
        if (p instanceof Input in) {
            return in.shape();
        }
        if (p instanceof Conv2D c) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(
                    spatial(p, "height", x.h(), c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    spatial(p, "width", x.w(), c.kernelW(), c.strideW(), c.dilationW(), c.padding()), c.filters());
        }
        if (p instanceof DepthwiseConv2D c) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(
                    spatial(p, "height", x.h(), c.kernelH(), c.strideH(), c.dilationH(), c.padding()),
                    spatial(p, "width", x.w(), c.kernelW(), c.strideW(), c.dilationW(), c.padding()),
                    x.c() * c.depthMultiplier());
        }
        if (p instanceof SeparableConv2D c) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(
                    spatial(p, "height", x.h(), c.kernelH(), c.strideH(), 1, c.padding()),
                    spatial(p, "width", x.w(), c.kernelW(), c.strideW(), 1, c.padding()), c.filters());
        }
        if (p instanceof Conv2DTranspose c) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(ConvGeometry.transposedOut(x.h(), c.kernelH(), c.strideH(), c.padding()),
                    ConvGeometry.transposedOut(x.w(), c.kernelW(), c.strideW(), c.padding()), c.filters());
        }
        if (p instanceof ZeroPadding2D z) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(x.h() + z.top() + z.bottom(), x.w() + z.left() + z.right(), x.c());
        }
        if (p instanceof MaxPooling2D m) {
            return pool(p, ins.get(0), m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding());
        }
        if (p instanceof AveragePooling2D a) {
            return pool(p, ins.get(0), a.poolH(), a.poolW(), a.strideH(), a.strideW(), a.padding());
        }
        if (p instanceof GlobalAveragePooling2D gp) {
            return global(p, ins.get(0), gp.keepDims());
        }
        if (p instanceof GlobalMaxPooling2D gp) {
            return global(p, ins.get(0), gp.keepDims());
        }
        if (p instanceof Dense d) {
            int[] dims = ins.get(0).dims();
            dims[dims.length - 1] = d.units();
            return new TensorShape(dims);
        }
        if (p instanceof Flatten f) {
            return TensorShape.of(Math.toIntExact(ins.get(0).elements()));
        }
        if (p instanceof Reshape r) {
            return reshape(ins.get(0), r.targetShape());
        }
        if (p instanceof BatchNormalization b) {
            return ins.get(0);
        }
        if (p instanceof Activation a) {
            return ins.get(0);
        }
        if (p instanceof ReLU r) {
            return ins.get(0);
        }
        if (p instanceof LeakyReLU r) {
            return ins.get(0);
        }
        if (p instanceof PReLU r) {
            return ins.get(0);
        }
        if (p instanceof Dropout d) {
            return ins.get(0);
        }
        if (p instanceof Softmax s) {
            axis(p, ins.get(0), s.axis());
            return ins.get(0);
        }
        if (p instanceof Add a) {
            return broadcast(p, ins);
        }
        if (p instanceof Subtract s) {
            return broadcast(p, ins);
        }
        if (p instanceof Multiply m) {
            return broadcast(p, ins);
        }
        if (p instanceof Concatenate c) {
            return concat(c, ins);
        }
        if (p instanceof UpSampling2D u) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(x.h() * u.sizeH(), x.w() * u.sizeW(), x.c());
        }
        if (p instanceof Resizing r) {
            TensorShape x = image(p, ins.get(0));
            return TensorShape.hwc(r.height(), r.width(), x.c());
        }
        throw new IllegalStateException("unknown layer kind " + p.kerasName());
    }

    private static TensorShape image(LayerParams p, TensorShape s) {
        if (!s.isImage()) {
            throw new IllegalArgumentException(p.kerasName() + " needs an H×W×C input, got " + s
                    + " (add a Reshape before it)");
        }
        return s;
    }

    private static int spatial(LayerParams p, String axis, int in, int k, int s, int d, Padding pad) {
        ConvGeometry g = ConvGeometry.of(in, k, s, d, pad);
        if (g.out() < 1) {
            throw new IllegalArgumentException(p.kerasName() + ": the " + axis + " " + in + " is smaller than the kernel "
                    + ((k - 1) * d + 1) + " with 'valid' padding (use 'same' or a larger input)");
        }
        return g.out();
    }

    private static TensorShape pool(LayerParams p, TensorShape in, int ph, int pw, int sh, int sw, Padding pad) {
        TensorShape x = image(p, in);
        return TensorShape.hwc(spatial(p, "height", x.h(), ph, sh, 1, pad), spatial(p, "width", x.w(), pw, sw, 1, pad), x.c());
    }

    private static TensorShape global(LayerParams p, TensorShape in, boolean keep) {
        TensorShape x = image(p, in);
        return keep ? TensorShape.hwc(1, 1, x.c()) : TensorShape.of(x.c());
    }

    private static TensorShape reshape(TensorShape in, TensorShape target) {
        long total = in.elements();
        int[] dims = target.dims();
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                unknownAt = i;
            } else {
                known *= dims[i];
            }
        }
        if (unknownAt >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("Reshape: " + total + " values (" + in + ") cannot fill " + target);
            }
            dims[unknownAt] = Math.toIntExact(total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("Reshape: " + in + " has " + total + " values but " + target + " needs " + known);
        }
        return new TensorShape(dims);
    }

    static int axis(LayerParams p, TensorShape s, int kerasAxis) {
        // Keras axes count the batch as 0; our shapes leave it out
        int rank = s.rank() + 1;
        int a = kerasAxis < 0 ? rank + kerasAxis : kerasAxis;
        if (a < 1 || a >= rank) {
            throw new IllegalArgumentException(p.kerasName() + ": axis " + kerasAxis + " is out of range for " + s);
        }
        return a - 1;
    }

    private static TensorShape broadcast(LayerParams p, List<TensorShape> ins) {
        int rank = 0;
        for (TensorShape s : ins) {
            rank = Math.max(rank, s.rank());
        }
        int[] out = new int[rank];
        java.util.Arrays.fill(out, 1);
        for (TensorShape s : ins) {
            int off = rank - s.rank();
            for (int i = 0; i < s.rank(); i++) {
                int d = s.dim(i);
                int o = out[off + i];
                if (o == 1) {
                    out[off + i] = d;
                } else if (d != 1 && d != o) {
                    throw new IllegalArgumentException(p.kerasName() + ": input shapes " + ins + " do not match");
                }
            }
        }
        return new TensorShape(out);
    }

    private static TensorShape concat(Concatenate c, List<TensorShape> ins) {
        TensorShape first = ins.get(0);
        int ax = axis(c, first, c.axis());
        int[] out = first.dims();
        for (int k = 1; k < ins.size(); k++) {
            TensorShape s = ins.get(k);
            if (s.rank() != first.rank()) {
                throw new IllegalArgumentException("Concatenate: inputs have different ranks " + ins);
            }
            for (int i = 0; i < s.rank(); i++) {
                if (i == ax) {
                    out[i] += s.dim(i);
                } else if (s.dim(i) != first.dim(i)) {
                    throw new IllegalArgumentException("Concatenate: inputs " + ins + " differ outside the concatenation axis");
                }
            }
        }
        return new TensorShape(out);
    }
}

package k210studio.converter.compile.prepare;

import java.util.HashMap;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * A 1×1 convolution on a 1×1 map (Keras MobileNet's classifier head) is a Dense layer; as such it can use the
 * KPU's 4×4 matmul trick, which a conv with a 1×1 output cannot (the KPU needs maps of at least 4×4).
 */
public final class PixelConvToDense implements GraphPass {
    @Override
    public String name() {
        return "pixel-conv-to-dense";
    }

    @Override
    public String purpose() {
        return "a 1×1 Conv2D on a 1×1 map → Dense (which the KPU can run on a 4×4 map; a 1×1 map it cannot)";
    }

    @Override
    public void apply(Graph g) {
        ShapeResult shapes = ShapeInference.infer(g);
        for (Layer l : g.layers()) {
            if (!(l.params() instanceof Conv2D c) || c.kernelH() != 1 || c.kernelW() != 1 || c.strideH() != 1
                    || c.strideW() != 1) {
                continue;
            }
            TensorShape x = shapes.shape(g.inputsOf(l.id()).get(0));
            if (x == null || !x.isImage() || x.h() != 1 || x.w() != 1) {
                continue;
            }
            Tensor k = l.weight("kernel");
            Map<String, Tensor> w = new HashMap<>(l.weights());
            w.put("kernel", k.reshape(k.dim(2), k.dim(3)));
            g.replaceLayer(l.withParams(new Dense(c.filters(), c.useBias(), c.activation())).withWeights(w));
        }
    }
}

package k210studio.converter.train;

import java.util.List;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.SeparableConv2D;

/**
 * Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose and Dense, each with its fused activation: the
 * forward pass is the evaluator's linear layer followed by the evaluator's activation (the same arithmetic as
 * the fused layer), the backward pass the activation's derivative then {@link ConvGradients}.
 */
final class WeightedTrainLayer extends TrainLayer.PerSample {
    private final ActivationFn act;
    private final Layer actLayer;
    /** Set on the network's output layer when the loss hands over the gradient with respect to the softmax input. */
    boolean softmaxFused;
    private Layer linear;
    private Layer depthwisePart;
    private Layer pointwisePart;
    private float[][] xs;
    private float[][] mids;
    private float[][] pres;
    private float[][] ys;

    WeightedTrainLayer(Layer layer, List<int[]> inShapes, int[] outShape) {
        super(layer, inShapes, outShape);
        act = activationOf(layer.params());
        actLayer = act.isLinear() ? null : new Layer(layer.id() + ":act", layer.name() + ":act", new Activation(act));
        train("kernel", "depthwise_kernel", "pointwise_kernel", "bias");
    }

    static ActivationFn activationOf(LayerParams p) {
        if (p instanceof Conv2D c) {
            return c.activation();
        }
        if (p instanceof DepthwiseConv2D c) {
            return c.activation();
        }
        if (p instanceof SeparableConv2D c) {
            return c.activation();
        }
        if (p instanceof Conv2DTranspose c) {
            return c.activation();
        }
        return ((Dense) p).activation();
    }

    ActivationFn activation() {
        return act;
    }

    private static LayerParams linearOf(LayerParams p) {
        if (p instanceof Conv2D c) {
            return c.withActivation(ActivationFn.LINEAR);
        }
        if (p instanceof DepthwiseConv2D c) {
            return c.withActivation(ActivationFn.LINEAR);
        }
        if (p instanceof Conv2DTranspose c) {
            return new Conv2DTranspose(c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding(), c.useBias(),
                    ActivationFn.LINEAR);
        }
        if (p instanceof Dense d) {
            return new Dense(d.units(), d.useBias(), ActivationFn.LINEAR);
        }
        return p;
    }

    @Override
    void begin(int n, boolean training, long seed) {
        Layer b = batchLayer();
        if (b.params() instanceof SeparableConv2D c) {
            // the evaluator computes SeparableConv2D as exactly these two layers
            depthwisePart = new Layer(b.id() + ":dw", b.name(), new DepthwiseConv2D(c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                    c.padding(), c.depthMultiplier(), 1, 1, false, ActivationFn.LINEAR),
                    java.util.Map.of("depthwise_kernel", b.weight("depthwise_kernel")));
            java.util.Map<String, k210studio.ir.tensor.Tensor> pw = new java.util.LinkedHashMap<>();
            pw.put("kernel", b.weight("pointwise_kernel"));
            if (c.useBias()) {
                pw.put("bias", b.weight("bias"));
            }
            pointwisePart = new Layer(b.id() + ":pw", b.name(), new Conv2D(c.filters(), 1, 1, 1, 1, Padding.VALID, 1, 1, c.useBias(),
                    ActivationFn.LINEAR), pw);
        } else {
            linear = b.withParams(linearOf(b.params()));
        }
        if (training) {
            xs = new float[n][];
            mids = new float[n][];
            pres = new float[n][];
            ys = new float[n][];
        }
    }

    @Override
    float[] forwardOne(int s, float[][] x, boolean training) {
        float[] pre;
        float[] mid = null;
        if (depthwisePart != null) {
            mid = eval(depthwisePart, inShapeArray(), x[0]);
            pre = eval(pointwisePart, new int[][] {midShape()}, mid);
        } else {
            pre = eval(linear, inShapeArray(), x[0]);
        }
        float[] y = actLayer == null ? pre : eval(actLayer, new int[][] {outShape}, pre);
        if (training) {
            xs[s] = x[0];
            mids[s] = mid;
            pres[s] = ActivationGradients.needsInput(act) ? pre : null;
            ys[s] = y;
        }
        return y;
    }

    private int[] midShape() {
        SeparableConv2D c = (SeparableConv2D) layer.params();
        return new int[] {outShape[0], outShape[1], inShapes.get(0)[2] * c.depthMultiplier()};
    }

    @Override
    float[][] backwardOne(int s, float[] g, int chunk) {
        float[] gPre = softmaxFused || act.isLinear() ? g : ActivationGradients.backward(act, pres[s], ys[s], g, outShape[outShape.length - 1]);
        float[] x = xs[s];
        int[] is = inShapes.get(0);
        Layer b = batchLayer();
        boolean want = wantInput[0];
        LayerParams p = layer.params();
        float[] gx;
        if (p instanceof Conv2D c) {
            gx = ConvGradients.conv2d(x, is[0], is[1], is[2], b.weight("kernel").data(), c.kernelH(), c.kernelW(), c.filters(),
                    c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), gPre, gradSink("kernel", chunk),
                    gradOrNull("bias", chunk), want);
        } else if (p instanceof DepthwiseConv2D c) {
            gx = ConvGradients.depthwise(x, is[0], is[1], is[2], b.weight("depthwise_kernel").data(), c.kernelH(), c.kernelW(),
                    c.depthMultiplier(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW(), c.padding(), gPre,
                    gradSink("depthwise_kernel", chunk), gradOrNull("bias", chunk), want);
        } else if (p instanceof SeparableConv2D c) {
            int[] ms = midShape();
            float[] gMid = ConvGradients.conv2d(mids[s], ms[0], ms[1], ms[2], b.weight("pointwise_kernel").data(), 1, 1, c.filters(),
                    1, 1, 1, 1, Padding.VALID, gPre, gradSink("pointwise_kernel", chunk), gradOrNull("bias", chunk), true);
            gx = ConvGradients.depthwise(x, is[0], is[1], is[2], b.weight("depthwise_kernel").data(), c.kernelH(), c.kernelW(),
                    c.depthMultiplier(), c.strideH(), c.strideW(), 1, 1, c.padding(), gMid, gradSink("depthwise_kernel", chunk), null, want);
        } else if (p instanceof Conv2DTranspose c) {
            gx = ConvGradients.transposed(x, is[0], is[1], is[2], b.weight("kernel").data(), c.kernelH(), c.kernelW(), c.filters(),
                    c.strideH(), c.strideW(), c.padding(), gPre, gradSink("kernel", chunk), gradOrNull("bias", chunk), want);
        } else {
            Dense d = (Dense) p;
            int in = is[is.length - 1];
            gx = ConvGradients.dense(x, x.length / Math.max(in, 1), in, b.weight("kernel").data(), d.units(), gPre,
                    gradSink("kernel", chunk), gradOrNull("bias", chunk), want);
        }
        return new float[][] {gx};
    }

    /** The kernel's gradient buffer, or a scratch array when the layer is frozen (the input gradient still flows). */
    private float[] gradSink(String key, int chunk) {
        float[] g = gradOrNull(key, chunk);
        return g != null ? g : new float[layer.weight(key).size()];
    }

    @Override
    void release() {
        xs = mids = pres = ys = null;
    }
}

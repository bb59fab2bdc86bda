package k210studio.ir.samples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectSettings;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * The sample networks the studio ships (as {@code .k210proj} files in the assets module) and that
 * tests use, built layer for layer with Keras names and seeded random weights: He-normal kernels
 * (std = √(2 / fan_in)), small biases, BatchNormalization near identity (gamma ≈ 1, beta ≈ 0,
 * moving mean ≈ 0, moving variance ≈ 1, each with small noise). The same seed always gives the same
 * weights, bit for bit.
 */
public final class SampleNetworks {
    /** File stems of the shipped sample projects, in the order the studio lists them. */
    public static final List<String> NAMES = List.of("brief_two_class", "brief_needs_fixing", "mobilenet_style");

    /** Class names of the two-class samples (the assets' {@code labels/two_class.txt}). */
    public static final List<String> TWO_CLASS_LABELS = List.of("negative", "positive");

    /** The 20 PASCAL VOC classes in their standard order (the assets' {@code labels/voc20.txt}). */
    public static final List<String> VOC20_LABELS = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car",
            "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
            "train", "tvmonitor");

    private static final long SEED = 210;

    private SampleNetworks() {
    }

    /** The sample project with this file stem (one of {@link #NAMES}). */
    public static Project project(String name) {
        switch (name) {
            case "brief_two_class":
                return briefTwoClassProject();
            case "brief_needs_fixing":
                return briefNeedsFixingProject();
            case "mobilenet_style":
                return mobileNetStyleProject();
            default:
                throw new IllegalArgumentException("no sample named '" + name + "' (known: " + NAMES + ")");
        }
    }

    /**
     * The brief's two-class network, K210-friendly: Input 240×320×3 (H×W×C); every stride-2 3×3 conv
     * is ZeroPadding2D((1,1),(1,1)) + 'valid'; every conv is followed by BatchNormalization + ReLU;
     * the last conv outputs 30×40×64; then Flatten → Dropout(0.5) → Dense(2) → Activation softmax.
     */
    public static Graph briefTwoClass() {
        return brief("brief_two_class", false, SEED);
    }

    /**
     * The same network as a user might first write it, with three things the K210 cannot run as is:
     * TF 'same' stride-2 convs instead of padding + 'valid' (asymmetric padding on even sizes), one 5×5
     * conv (the KPU has 1×1 and 3×3 kernels only) and a PReLU (a per-channel slope). Shapes are those
     * of {@link #briefTwoClass()}.
     */
    public static Graph briefNeedsFixing() {
        return brief("brief_needs_fixing", true, SEED + 1);
    }

    /**
     * A small MobileNet-v1-style classifier for 128×128×3 RGB input and the 20 VOC classes:
     * a stride-2 3×3 conv, then depthwise-separable blocks (3×3 depthwise + BN + ReLU6, 1×1 pointwise
     * + BN + ReLU6), stride 2 done K210-style as ZeroPadding2D((1,1),(1,1)) + 'valid', then
     * GlobalAveragePooling2D → Dropout → Dense(20) → softmax. Layer names follow Keras Applications' MobileNet.
     */
    public static Graph mobileNetStyle() {
        Builder b = new Builder("mobilenet_style", SEED + 2);
        b.add("input_1", new Input(TensorShape.hwc(128, 128, 3)));
        b.add("conv1_pad", ZeroPadding2D.symmetric(1));
        b.conv("conv1", 16, 3, 2, Padding.VALID, false);
        b.bn("conv1_bn");
        b.add("conv1_relu", ReLU.relu6());
        int[][] blocks = {{32, 1}, {64, 2}, {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}};
        for (int i = 0; i < blocks.length; i++) {
            int n = i + 1;
            int stride = blocks[i][1];
            if (stride == 2) {
                b.add("conv_pad_" + n, ZeroPadding2D.symmetric(1));
            }
            b.depthwise("conv_dw_" + n, stride, stride == 2 ? Padding.VALID : Padding.SAME);
            b.bn("conv_dw_" + n + "_bn");
            b.add("conv_dw_" + n + "_relu", ReLU.relu6());
            b.conv("conv_pw_" + n, blocks[i][0], 1, 1, Padding.SAME, false);
            b.bn("conv_pw_" + n + "_bn");
            b.add("conv_pw_" + n + "_relu", ReLU.relu6());
        }
        b.add("global_average_pooling2d", new GlobalAveragePooling2D(false));
        b.add("dropout", new Dropout(1e-3f));
        b.dense("predictions", 20);
        b.add("act_softmax", new Activation(ActivationFn.SOFTMAX));
        return b.done();
    }

    public static Project briefTwoClassProject() {
        return new Project(briefTwoClass(), new ProjectSettings("Brief two-class network", ProjectSettings.V3,
                Preprocessing.unit(), TWO_CLASS_LABELS, List.of("images/face.jpg", "images/grace_hopper.bmp", "images/cat.bmp")));
    }

    public static Project briefNeedsFixingProject() {
        return new Project(briefNeedsFixing(), new ProjectSettings("Brief network (needs fixing)", ProjectSettings.V3,
                Preprocessing.unit(), TWO_CLASS_LABELS, List.of("images/face.jpg", "images/grace_hopper.bmp", "images/cat.bmp")));
    }

    public static Project mobileNetStyleProject() {
        // inputs in -1..1, as Keras Applications' MobileNet expects: x/127.5 - 1
        Preprocessing p = new Preprocessing(List.of(1f), List.of(1f), k210studio.ir.project.ChannelOrder.RGB, 1f / 127.5f);
        return new Project(mobileNetStyle(), new ProjectSettings("MobileNet-style VOC classifier", ProjectSettings.V4, p,
                VOC20_LABELS, List.of("images/cat.bmp", "images/grace_hopper.bmp", "images/face.jpg")));
    }

    private static Graph brief(String name, boolean needsFixing, long seed) {
        Builder b = new Builder(name, seed);
        b.add("input_1", new Input(TensorShape.hwc(240, 320, 3)));
        // stage: {filters, first stride}; each stage = [pad] + first conv, then two 'same' stride-1 convs (none after the first)
        int[][] stages = {{32, 2}, {32, 2}, {32, 1}, {32, 1}, {32, 2}, {64, 1}};
        for (int s = 0; s < stages.length; s++) {
            int filters = stages[s][0];
            int stride = stages[s][1];
            if (needsFixing && stride == 2) {
                b.convBnRelu(filters, 3, 2, Padding.SAME, false);
            } else {
                b.add("zero_padding2d", ZeroPadding2D.symmetric(1));
                b.convBnRelu(filters, 3, stride, Padding.VALID, false);
            }
            if (s == 0) {
                continue;
            }
            for (int k = 0; k < 2; k++) {
                boolean fiveByFive = needsFixing && s == 2 && k == 0;
                boolean prelu = needsFixing && s == 3 && k == 1;
                b.convBnRelu(filters, fiveByFive ? 5 : 3, 1, Padding.SAME, prelu);
            }
        }
        b.add("flatten", new Flatten());
        b.add("dropout", new Dropout(0.5f));
        b.dense("dense", 2);
        b.add("activation", new Activation(ActivationFn.SOFTMAX));
        return b.done();
    }

    /** Builds a chain, tracking the channel count so that weights get the right shapes. */
    private static final class Builder {
        private final Graph g;
        private final Random r;
        private String last;
        private TensorShape shape;

        Builder(String name, long seed) {
            g = new Graph(name);
            r = new Random(seed);
        }

        void add(String name, LayerParams p) {
            add(name, p, Map.of());
        }

        void add(String name, LayerParams p, Map<String, Tensor> weights) {
            last = last == null ? g.add(name, p, weights) : g.add(name, p, weights, last);
            shape = k210studio.ir.shape.ShapeInference.outputShape(p, shape == null ? List.of() : List.of(shape));
        }

        void convBnRelu(int filters, int k, int stride, Padding pad, boolean prelu) {
            conv("conv2d", filters, k, stride, pad, true);
            bn("batch_normalization");
            if (prelu) {
                int c = shape.c();
                float[] alpha = new float[c];
                for (int i = 0; i < c; i++) {
                    alpha[i] = 0.25f + 0.05f * (float) r.nextGaussian();
                }
                add("p_re_lu", new PReLU(), Map.of("alpha", new Tensor(new int[] {1, 1, c}, alpha)));
            } else {
                add("re_lu", ReLU.plain());
            }
        }

        void conv(String name, int filters, int k, int stride, Padding pad, boolean bias) {
            int cin = shape.c();
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("kernel", he(k * k * cin, k, k, cin, filters));
            if (bias) {
                w.put("bias", noise(0f, 0.01f, filters));
            }
            add(name, new Conv2D(filters, k, k, stride, stride, pad, 1, 1, bias, ActivationFn.LINEAR), w);
        }

        void depthwise(String name, int stride, Padding pad) {
            int c = shape.c();
            add(name, new DepthwiseConv2D(3, 3, stride, stride, pad, 1, 1, 1, false, ActivationFn.LINEAR),
                    Map.of("depthwise_kernel", he(9, 3, 3, c, 1)));
        }

        void bn(String name) {
            int c = shape.c();
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("gamma", noise(1f, 0.05f, c));
            w.put("beta", noise(0f, 0.05f, c));
            w.put("moving_mean", noise(0f, 0.05f, c));
            float[] var = new float[c];
            for (int i = 0; i < c; i++) {
                var[i] = 1f + 0.1f * (r.nextFloat() - 0.5f);
            }
            w.put("moving_variance", new Tensor(new int[] {c}, var));
            add(name, BatchNormalization.keras(), w);
        }

        void dense(String name, int units) {
            int in = shape.c();
            Map<String, Tensor> w = new LinkedHashMap<>();
            w.put("kernel", he(in, in, units));
            w.put("bias", noise(0f, 0.01f, units));
            add(name, new Dense(units, true, ActivationFn.LINEAR), w);
        }

        private Tensor he(int fanIn, int... shape) {
            return Tensor.gaussian(r, Math.sqrt(2.0 / fanIn), shape);
        }

        private Tensor noise(float centre, float std, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = centre + std * (float) r.nextGaussian();
            }
            return new Tensor(new int[] {n}, v);
        }

        Graph done() {
            TopDownLayout.apply(g);
            return g;
        }
    }
}

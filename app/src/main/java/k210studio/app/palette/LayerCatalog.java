package k210studio.app.palette;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.GlobalMaxPooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Multiply;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Resizing;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.Subtract;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.tensor.TensorShape;

/**
 * The layers the palette offers, grouped the way users think of them, each with the defaults a
 * freshly dropped layer gets (Keras defaults where Keras has them, K210-friendly choices otherwise:
 * 3×3 stride-1 'same' convolutions, 2×2 stride-2 pools).
 */
public final class LayerCatalog {

    /** One palette entry: the Keras class name, a one-line hint, and a factory for default params. */
    public record Entry(String kerasName, String hint, Supplier<LayerParams> defaults) {
        public LayerParams create() {
            return defaults.get();
        }
    }

    private static final Map<String, List<Entry>> GROUPS = new LinkedHashMap<>();

    static {
        group("Core",
                e("InputLayer", "model input, H×W×C", () -> new Input(TensorShape.hwc(240, 320, 3))),
                e("Dense", "fully connected", () -> new Dense(10, true, ActivationFn.LINEAR)),
                e("Dropout", "training only; removed on export", () -> new Dropout(0.5f)));
        group("Convolution",
                e("Conv2D", "3×3 stride 1 'same'", () -> Conv2D.of(32, 3, 1, Padding.SAME)),
                e("DepthwiseConv2D", "per-channel 3×3", () -> DepthwiseConv2D.of(3, 1, Padding.SAME)),
                e("SeparableConv2D", "depthwise + pointwise", () -> new SeparableConv2D(32, 3, 3, 1, 1, Padding.SAME, 1, true, ActivationFn.LINEAR)),
                e("Conv2DTranspose", "learned upsampling", () -> new Conv2DTranspose(32, 3, 3, 2, 2, Padding.SAME, true, ActivationFn.LINEAR)),
                e("ZeroPadding2D", "explicit padding ((1,1),(1,1))", () -> ZeroPadding2D.symmetric(1)));
        group("Pooling",
                e("MaxPooling2D", "2×2 stride 2", () -> MaxPooling2D.of(2, 2, Padding.VALID)),
                e("AveragePooling2D", "2×2 stride 2", () -> AveragePooling2D.of(2, 2, Padding.VALID)),
                e("GlobalAveragePooling2D", "H×W×C → C", () -> new GlobalAveragePooling2D(false)),
                e("GlobalMaxPooling2D", "H×W×C → C", () -> new GlobalMaxPooling2D(false)));
        group("Normalization",
                e("BatchNormalization", "folded into the KPU conv", BatchNormalization::keras));
        group("Activation",
                e("ReLU", "max(x, 0)", ReLU::plain),
                e("ReLU6", "min(max(x, 0), 6)", ReLU::relu6),
                e("LeakyReLU", "x or αx", () -> new LeakyReLU(0.1f)),
                e("PReLU", "learned per-channel slope", PReLU::new),
                e("Activation", "relu, sigmoid, tanh, …", () -> new Activation(ActivationFn.RELU)),
                e("Softmax", "normalise to probabilities", Softmax::lastAxis));
        group("Merge",
                e("Add", "element-wise sum", Add::new),
                e("Subtract", "element-wise difference", Subtract::new),
                e("Multiply", "element-wise product", Multiply::new),
                e("Concatenate", "join along channels", Concatenate::channels));
        group("Reshape",
                e("Flatten", "H×W×C → vector", Flatten::new),
                e("Reshape", "static target shape", () -> Reshape.to(-1)),
                e("UpSampling2D", "nearest ×2", () -> new UpSampling2D(2, 2, Interpolation.NEAREST)),
                e("Resizing", "resize to a fixed H×W (bilinear)", () -> new Resizing(120, 160, Interpolation.BILINEAR, false, true)));
    }

    private LayerCatalog() {
    }

    private static Entry e(String name, String hint, Supplier<LayerParams> s) {
        return new Entry(name, hint, s);
    }

    private static void group(String name, Entry... entries) {
        GROUPS.put(name, List.of(entries));
    }

    /** Group name → entries, in palette order. */
    public static Map<String, List<Entry>> groups() {
        return java.util.Collections.unmodifiableMap(GROUPS);
    }

    public static List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        GROUPS.values().forEach(out::addAll);
        return out;
    }

    /** The entry with this palette name (e.g. "Conv2D", "ReLU6"). */
    public static Entry entry(String name) {
        for (Entry e : all()) {
            if (e.kerasName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no palette entry '" + name + "'");
    }

    /** The Keras-style base name a new layer of this kind gets ("conv2d", "max_pooling2d", "re_lu"), as Keras's to_snake_case. */
    public static String baseName(LayerParams p) {
        String k = p instanceof Input ? "input" : p.kerasName();
        String s = k.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}

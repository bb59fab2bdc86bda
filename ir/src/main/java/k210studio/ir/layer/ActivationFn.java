package k210studio.ir.layer;

/**
 * An element-wise activation function with its parameter, as Keras names it
 * ({@code activation='relu'} on a layer, or an {@code Activation} layer).
 *
 * @param kind  which function
 * @param alpha the negative slope of {@link Kind#LEAKY_RELU}; ignored for the others
 */
public record ActivationFn(Kind kind, float alpha) {

    public enum Kind {
        LINEAR("linear"), RELU("relu"), RELU6("relu6"), LEAKY_RELU("leaky_relu"), SIGMOID("sigmoid"),
        HARD_SIGMOID("hard_sigmoid"), TANH("tanh"), SOFTMAX("softmax"), SWISH("swish"), HARD_SWISH("hard_swish");

        private final String keras;

        Kind(String keras) {
            this.keras = keras;
        }

        public String keras() {
            return keras;
        }

        public static Kind fromKeras(String name) {
            String n = name.toLowerCase();
            if (n.equals("silu")) {
                return SWISH;
            }
            for (Kind k : values()) {
                if (k.keras.equals(n)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown activation '" + name + "'");
        }
    }

    public static final ActivationFn LINEAR = new ActivationFn(Kind.LINEAR, 0f);
    public static final ActivationFn RELU = new ActivationFn(Kind.RELU, 0f);
    public static final ActivationFn RELU6 = new ActivationFn(Kind.RELU6, 0f);
    public static final ActivationFn SIGMOID = new ActivationFn(Kind.SIGMOID, 0f);
    public static final ActivationFn TANH = new ActivationFn(Kind.TANH, 0f);
    public static final ActivationFn SOFTMAX = new ActivationFn(Kind.SOFTMAX, 0f);

    public static ActivationFn of(Kind kind) {
        return new ActivationFn(kind, kind == Kind.LEAKY_RELU ? 0.3f : 0f);
    }

    public static ActivationFn leakyRelu(float alpha) {
        return new ActivationFn(Kind.LEAKY_RELU, alpha);
    }

    /**
     * The function an activation layer (Activation, LeakyReLU, ReLU) computes on each value, or null when the layer is
     * none of them or not element-wise (softmax, a ReLU with an unusual threshold).
     */
    public static ActivationFn ofLayer(LayerParams p) {
        if (p instanceof Activation a) {
            return a.fn().isElementwise() ? a.fn() : null;
        }
        if (p instanceof LeakyReLU l) {
            return leakyRelu(l.alpha());
        }
        return p instanceof ReLU r ? r.function() : null;
    }

    public boolean isLinear() {
        return kind == Kind.LINEAR;
    }

    /** True for functions that act on each value alone (softmax looks at a whole axis). */
    public boolean isElementwise() {
        return kind != Kind.SOFTMAX;
    }

    @Override
    public String toString() {
        return kind == Kind.LEAKY_RELU ? "leaky_relu(" + alpha + ")" : kind.keras();
    }
}

package k210studio.ir.layer;

/** Keras LeakyReLU(alpha): x ≥ 0 → x, else alpha · x (Keras default alpha 0.3). */
public record LeakyReLU(float alpha) implements LayerParams {
    public String kerasName() { return "LeakyReLU"; }
}

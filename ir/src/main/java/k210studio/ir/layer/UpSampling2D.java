package k210studio.ir.layer;

/** Keras UpSampling2D(size, interpolation): H·sizeH × W·sizeW × C. */
public record UpSampling2D(int sizeH, int sizeW, Interpolation interpolation) implements LayerParams {
    public UpSampling2D {
        Checks.positive("size", sizeH, sizeW);
        Checks.notNull("interpolation", interpolation);
    }

    public String kerasName() { return "UpSampling2D"; }
}

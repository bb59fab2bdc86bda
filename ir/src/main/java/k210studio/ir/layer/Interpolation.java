package k210studio.ir.layer;

/** Resampling of UpSampling2D. */
public enum Interpolation {
    NEAREST,
    BILINEAR
}

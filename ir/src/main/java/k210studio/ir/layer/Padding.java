package k210studio.ir.layer;

/** Keras/TensorFlow padding mode of convolutions and pools. */
public enum Padding {
    /** TF 'same': output = ceil(in / stride); the odd extra pixel of padding goes after (bottom/right). */
    SAME,
    /** TF 'valid': no padding, output = floor((in - effective_kernel) / stride) + 1. */
    VALID;

    public String keras() {
        return name().toLowerCase();
    }
}

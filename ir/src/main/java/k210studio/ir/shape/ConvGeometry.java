package k210studio.ir.shape;

import k210studio.ir.layer.Padding;

/**
 * One spatial axis of a convolution or pool as TensorFlow computes it.
 * 'same': out = ceil(in / s); total padding = max((out − 1)·s + (k − 1)·d + 1 − in, 0);
 * padBefore = total / 2 (rounded down), the extra pixel goes after.
 * 'valid': out = ceil((in − (k − 1)·d) / s), no padding.
 *
 * @param out       output size
 * @param padBefore padding at the top/left
 * @param padAfter  padding at the bottom/right
 */
public record ConvGeometry(int out, int padBefore, int padAfter) {

    public static ConvGeometry of(int in, int kernel, int stride, int dilation, Padding padding) {
        int effK = (kernel - 1) * dilation + 1;
        if (padding == Padding.SAME) {
            int out = ceilDiv(in, stride);
            int total = Math.max((out - 1) * stride + effK - in, 0);
            return new ConvGeometry(out, total / 2, total - total / 2);
        }
        int out = in >= effK ? ceilDiv(in - effK + 1, stride) : 0;
        return new ConvGeometry(out, 0, 0);
    }

    /** Transposed convolution (Keras Conv2DTranspose without output_padding). */
    public static int transposedOut(int in, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? in * stride : in * stride + Math.max(kernel - stride, 0);
    }

    public boolean symmetric() {
        return padBefore == padAfter;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}

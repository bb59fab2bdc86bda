package k210studio.ir.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Padding;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * One spatial axis of a conv/pool as TensorFlow computes it, as a table worked out by hand from TF's rules
 * (tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose):
 * 'same': out = ⌈in / s⌉, total = max((out − 1)·s + (k − 1)·d + 1 − in, 0), before = ⌊total / 2⌋, after = the rest;
 * 'valid': out = ⌊(in − (k − 1)·d − 1) / s⌋ + 1.
 */
class ConvGeometryTableTest {

    @ParameterizedTest(name = "in {0}, k {1}, s {2}, d {3}, {4} -> out {5}, pad {6}+{7}")
    @CsvSource({
            // in, kernel, stride, dilation, padding, out, padBefore, padAfter
            // 'same', stride 1: symmetric (k−1)/2 on each side for odd kernels, whatever the size
            "320, 3, 1, 1, SAME, 320, 1, 1",
            "7,   1, 1, 1, SAME, 7,   0, 0",
            "1,   3, 1, 1, SAME, 1,   1, 1",
            "5,   7, 1, 1, SAME, 5,   3, 3",
            "6,   5, 1, 1, SAME, 6,   2, 2",
            // 'same', stride 2: even sizes pad one pixel less, and it goes after (the K210 problem case)
            "240, 3, 2, 1, SAME, 120, 0, 1",
            "320, 3, 2, 1, SAME, 160, 0, 1",
            "241, 3, 2, 1, SAME, 121, 1, 1",
            "8,   3, 2, 1, SAME, 4,   0, 1",
            "7,   3, 2, 1, SAME, 4,   1, 1",
            "2,   3, 2, 1, SAME, 1,   0, 1",
            "8,   5, 2, 1, SAME, 4,   1, 2",
            "9,   5, 2, 1, SAME, 5,   2, 2",
            "224, 7, 2, 1, SAME, 112, 2, 3",
            "225, 7, 2, 1, SAME, 113, 3, 3",
            "8,   1, 2, 1, SAME, 4,   0, 0",
            // 'same', stride 3 and 4
            "10,  3, 3, 1, SAME, 4,   1, 1",
            "11,  3, 3, 1, SAME, 4,   0, 1",
            "12,  3, 3, 1, SAME, 4,   0, 0",
            "13,  5, 3, 1, SAME, 5,   2, 2",
            "16,  3, 4, 1, SAME, 4,   0, 0",
            "15,  5, 4, 1, SAME, 4,   1, 1",
            "14,  7, 4, 1, SAME, 4,   2, 3",
            "17,  7, 4, 1, SAME, 5,   3, 3",
            // 'same' with dilation: the effective kernel (k − 1)·d + 1 is padded for. (Keras refuses stride > 1 together
            // with dilation > 1, but TFLite's CONV_2D/DEPTHWISE_CONV_2D accept it and size it with the same formula.)
            "10,  3, 1, 2, SAME, 10,  2, 2",
            "10,  3, 2, 2, SAME, 5,   1, 2",
            "9,   3, 1, 3, SAME, 9,   3, 3",
            // 'valid': no padding
            "242, 3, 2, 1, VALID, 120, 0, 0",
            "322, 3, 2, 1, VALID, 160, 0, 0",
            "240, 3, 2, 1, VALID, 119, 0, 0",
            "7,   3, 1, 1, VALID, 5,   0, 0",
            "7,   7, 1, 1, VALID, 1,   0, 0",
            "10,  3, 3, 1, VALID, 3,   0, 0",
            "11,  5, 4, 1, VALID, 2,   0, 0",
            "16,  1, 4, 1, VALID, 4,   0, 0",
            "13,  5, 2, 1, VALID, 5,   0, 0",
            "224, 7, 2, 1, VALID, 109, 0, 0",
            "10,  3, 1, 2, VALID, 6,   0, 0",
            "10,  3, 2, 3, VALID, 2,   0, 0",
            "6,   7, 1, 1, VALID, 0,   0, 0",
    })
    void tfTable(int in, int k, int s, int d, Padding p, int out, int before, int after) {
        ConvGeometry g = ConvGeometry.of(in, k, s, d, p);
        assertThat(g).isEqualTo(new ConvGeometry(out, before, after));
        if (out > 0) {
            // the layer-level inference gives the same size on a square map, for Conv2D, DepthwiseConv2D and the pools
            TensorShape x = TensorShape.hwc(in, in, 4);
            assertThat(ShapeInference.outputShape(new Conv2D(8, k, k, s, s, p, d, d, true, ActivationFn.LINEAR), List.of(x)))
                    .isEqualTo(TensorShape.hwc(out, out, 8));
            assertThat(ShapeInference.outputShape(new DepthwiseConv2D(k, k, s, s, p, 2, d, d, true, ActivationFn.LINEAR), List.of(x)))
                    .isEqualTo(TensorShape.hwc(out, out, 8));
            if (d == 1) {
                assertThat(ShapeInference.outputShape(MaxPooling2D.of(k, s, p), List.of(x))).isEqualTo(TensorShape.hwc(out, out, 4));
                assertThat(ShapeInference.outputShape(AveragePooling2D.of(k, s, p), List.of(x))).isEqualTo(TensorShape.hwc(out, out, 4));
            }
        } else {
            assertThatThrownBy(() -> ShapeInference.outputShape(Conv2D.of(8, k, s, p), List.of(TensorShape.hwc(in, in, 4))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smaller than the kernel");
        }
    }

    /**
     * Independent check over a whole range: TF's 'same' padding is the least total padding that lets
     * ⌈in / s⌉ windows fit, found here by counting windows on padded inputs instead of by the formula.
     */
    @Test
    void samePaddingIsTheLeastPaddingThatFitsCeilInOverStrideWindows() {
        for (int in = 1; in <= 48; in++) {
            for (int k : new int[] {1, 3, 5, 7}) {
                for (int s = 1; s <= 4; s++) {
                    for (int d = 1; d <= 3; d++) {
                        int eff = (k - 1) * d + 1;
                        int want = (in + s - 1) / s;
                        int total = 0;
                        while (windows(in + total, eff, s) < want) {
                            total++;
                        }
                        ConvGeometry g = ConvGeometry.of(in, k, s, d, Padding.SAME);
                        String at = "in " + in + " k " + k + " s " + s + " d " + d;
                        assertThat(g.out()).as(at).isEqualTo(want);
                        assertThat(g.padBefore() + g.padAfter()).as(at).isEqualTo(total);
                        assertThat(g.padAfter() - g.padBefore()).as(at).isBetween(0, 1);
                        ConvGeometry v = ConvGeometry.of(in, k, s, d, Padding.VALID);
                        assertThat(v.out()).as(at).isEqualTo(windows(in, eff, s));
                    }
                }
            }
        }
    }

    /** Number of window positions 0, s, 2s, … with the whole window inside a line of {@code n} pixels. */
    private static int windows(int n, int eff, int s) {
        int count = 0;
        for (int start = 0; start + eff <= n; start += s) {
            count++;
        }
        return count;
    }

    @Test
    void heightAndWidthAreIndependent() {
        Conv2D c = new Conv2D(16, 3, 5, 2, 1, Padding.SAME, 1, 1, true, ActivationFn.LINEAR);
        assertThat(ShapeInference.outputShape(c, List.of(TensorShape.hwc(240, 320, 3)))).isEqualTo(TensorShape.hwc(120, 320, 16));
        MaxPooling2D m = new MaxPooling2D(2, 3, 2, 3, Padding.VALID);
        assertThat(ShapeInference.outputShape(m, List.of(TensorShape.hwc(15, 16, 8)))).isEqualTo(TensorShape.hwc(7, 5, 8));
    }
}

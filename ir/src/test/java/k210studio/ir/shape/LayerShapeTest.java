package k210studio.ir.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/** Output shapes of the non-windowed layers as Keras computes them, and the errors for inputs that do not fit. */
class LayerShapeTest {
    private static TensorShape out(LayerParams p, TensorShape... ins) {
        return ShapeInference.outputShape(p, List.of(ins));
    }

    private static TensorShape hwc(int h, int w, int c) {
        return TensorShape.hwc(h, w, c);
    }

    @Test
    void poolsWithSamePaddingRoundUp() {
        assertThat(out(MaxPooling2D.of(2, 2, Padding.VALID), hwc(15, 15, 8))).isEqualTo(hwc(7, 7, 8));
        assertThat(out(MaxPooling2D.of(2, 2, Padding.SAME), hwc(15, 15, 8))).isEqualTo(hwc(8, 8, 8));
        assertThat(out(AveragePooling2D.of(3, 2, Padding.SAME), hwc(7, 7, 8))).isEqualTo(hwc(4, 4, 8));
        assertThat(out(MaxPooling2D.of(3, 1, Padding.SAME), hwc(7, 9, 8))).isEqualTo(hwc(7, 9, 8));
        assertThat(out(AveragePooling2D.of(4, 4, Padding.VALID), hwc(30, 40, 8))).isEqualTo(hwc(7, 10, 8));
        assertThat(out(new GlobalAveragePooling2D(false), hwc(7, 7, 8))).isEqualTo(TensorShape.of(8));
        assertThat(out(new GlobalMaxPooling2D(true), hwc(7, 7, 8))).isEqualTo(hwc(1, 1, 8));
    }

    /** Keras deconv_output_length without output_padding: 'same' in·s, 'valid' in·s + max(k − s, 0). */
    @Test
    void transposedConvolutions() {
        assertThat(out(tconv(3, 2, Padding.VALID), hwc(7, 7, 4))).isEqualTo(hwc(15, 15, 6));
        assertThat(out(tconv(2, 2, Padding.VALID), hwc(7, 7, 4))).isEqualTo(hwc(14, 14, 6));
        assertThat(out(tconv(4, 2, Padding.SAME), hwc(7, 7, 4))).isEqualTo(hwc(14, 14, 6));
        assertThat(out(tconv(1, 3, Padding.VALID), hwc(7, 7, 4))).isEqualTo(hwc(21, 21, 6));
        assertThat(out(tconv(5, 1, Padding.VALID), hwc(7, 7, 4))).isEqualTo(hwc(11, 11, 6));
        assertThat(out(tconv(3, 1, Padding.SAME), hwc(7, 7, 4))).isEqualTo(hwc(7, 7, 6));
    }

    private static Conv2DTranspose tconv(int k, int s, Padding p) {
        return new Conv2DTranspose(6, k, k, s, s, p, true, ActivationFn.LINEAR);
    }

    @Test
    void separableUpsamplingPaddingAndDense() {
        assertThat(out(new SeparableConv2D(16, 3, 3, 2, 2, Padding.SAME, 1, true, ActivationFn.RELU), hwc(240, 320, 3)))
                .isEqualTo(hwc(120, 160, 16));
        assertThat(out(new UpSampling2D(2, 3, Interpolation.NEAREST), hwc(5, 7, 2))).isEqualTo(hwc(10, 21, 2));
        assertThat(out(new ZeroPadding2D(1, 2, 3, 4), hwc(5, 7, 2))).isEqualTo(hwc(8, 14, 2));
        assertThat(out(new Dense(10, true, ActivationFn.LINEAR), TensorShape.of(76800))).isEqualTo(TensorShape.of(10));
        // Keras Dense acts on the last axis of any rank
        assertThat(out(new Dense(10, true, ActivationFn.LINEAR), hwc(4, 4, 8))).isEqualTo(hwc(4, 4, 10));
        assertThat(out(new Flatten(), hwc(30, 40, 64))).isEqualTo(TensorShape.of(76800));
        assertThat(out(new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 8, 1, 1, true, ActivationFn.LINEAR), hwc(96, 96, 1)))
                .isEqualTo(hwc(96, 96, 8));
    }

    @Test
    void reshapeInfersOneMinusOne() {
        assertThat(out(Reshape.to(-1, 64), hwc(30, 40, 64))).isEqualTo(TensorShape.of(1200, 64));
        assertThat(out(Reshape.to(2, -1), TensorShape.of(6))).isEqualTo(TensorShape.of(2, 3));
        assertThat(out(Reshape.to(1, 1, -1), TensorShape.of(256))).isEqualTo(hwc(1, 1, 256));
        assertThat(out(Reshape.to(-1), hwc(2, 3, 4))).isEqualTo(TensorShape.of(24));
        assertThat(out(Reshape.to(4, 6), hwc(2, 3, 4))).isEqualTo(TensorShape.of(4, 6));
        assertThatThrownBy(() -> out(Reshape.to(4, -1), TensorShape.of(6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 values").hasMessageContaining("cannot fill");
        assertThatThrownBy(() -> out(Reshape.to(3, 3), TensorShape.of(6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 9");
        assertThatThrownBy(() -> Reshape.to(-1, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most one -1");
    }

    @Test
    void concatenateAddsAlongItsAxisOnly() {
        assertThat(out(Concatenate.channels(), hwc(8, 8, 3), hwc(8, 8, 5))).isEqualTo(hwc(8, 8, 8));
        assertThat(out(Concatenate.channels(), hwc(8, 8, 3), hwc(8, 8, 5), hwc(8, 8, 1))).isEqualTo(hwc(8, 8, 9));
        // Keras axis 1 is H (the batch is axis 0)
        assertThat(out(new Concatenate(1), hwc(8, 8, 3), hwc(4, 8, 3))).isEqualTo(hwc(12, 8, 3));
        assertThat(out(new Concatenate(-2), hwc(8, 8, 3), hwc(8, 2, 3))).isEqualTo(hwc(8, 10, 3));
        assertThat(out(new Concatenate(-1), TensorShape.of(3160, 4), TensorShape.of(3160, 10))).isEqualTo(TensorShape.of(3160, 14));
        assertThatThrownBy(() -> out(Concatenate.channels(), hwc(8, 8, 3), hwc(4, 8, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ outside the concatenation axis");
        assertThatThrownBy(() -> out(Concatenate.channels(), hwc(8, 8, 3), TensorShape.of(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different ranks");
        assertThatThrownBy(() -> out(new Concatenate(4), hwc(8, 8, 3), hwc(8, 8, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("axis 4 is out of range");
        assertThatThrownBy(() -> out(new Concatenate(0), hwc(8, 8, 3), hwc(8, 8, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void elementwiseMergesBroadcastLikeNumpy() {
        assertThat(out(new Add(), hwc(8, 8, 3), hwc(8, 8, 3))).isEqualTo(hwc(8, 8, 3));
        assertThat(out(new Add(), hwc(8, 8, 3), TensorShape.of(3))).isEqualTo(hwc(8, 8, 3));
        assertThat(out(new Multiply(), hwc(8, 8, 3), hwc(1, 1, 3))).isEqualTo(hwc(8, 8, 3));
        assertThat(out(new Subtract(), hwc(8, 1, 3), hwc(1, 5, 3))).isEqualTo(hwc(8, 5, 3));
        assertThat(out(new Multiply(), hwc(1, 1, 3), hwc(8, 8, 1))).isEqualTo(hwc(8, 8, 3));
        assertThatThrownBy(() -> out(new Add(), hwc(8, 8, 3), hwc(8, 8, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Add").hasMessageContaining("do not match");
        assertThatThrownBy(() -> out(new Multiply(), hwc(8, 8, 3), TensorShape.of(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match");
    }

    @Test
    void elementwiseLayersKeepTheShape() {
        TensorShape x = hwc(5, 6, 7);
        for (LayerParams p : List.of(BatchNormalization.keras(), new Activation(ActivationFn.RELU6), ReLU.plain(),
                new LeakyReLU(0.1f), new PReLU(), new Dropout(0.5f), Softmax.lastAxis())) {
            assertThat(out(p, x)).as(p.kerasName()).isEqualTo(x);
        }
        assertThatThrownBy(() -> out(new Softmax(3), TensorShape.of(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis 3 is out of range");
    }

    @Test
    void imageLayersRejectVectorsAndMissingInputs() {
        assertThatThrownBy(() -> out(Conv2D.of(8, 3, 1, Padding.SAME), TensorShape.of(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an H×W×C input").hasMessageContaining("Reshape");
        assertThatThrownBy(() -> out(new GlobalAveragePooling2D(false), TensorShape.of(4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H×W×C");
        assertThatThrownBy(() -> ShapeInference.outputShape(new Add(), List.of(hwc(1, 1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 2 inputs");
    }

    @Test
    void graphInferenceReportsTheFailingLayerAndMarksEverythingDownstream() {
        Graph g = new Graph();
        String in = g.add("input_1", new Input(hwc(6, 6, 3)));
        String conv = g.add("conv2d", Conv2D.of(8, 7, 1, Padding.VALID), in);
        String flat = g.add("flatten", new Flatten(), conv);
        String other = g.add("conv2d_1", Conv2D.of(4, 3, 1, Padding.SAME), in);
        ShapeResult r = ShapeInference.infer(g);
        assertThat(r.ok()).isFalse();
        assertThat(r.error(conv)).contains("height 6 is smaller than the kernel 7");
        assertThat(r.error(flat)).contains("input shape unknown");
        assertThat(r.shape(other)).isEqualTo(hwc(6, 6, 4));
        assertThat(r.shape(in)).isEqualTo(hwc(6, 6, 3));
        // a layer with no input at all
        String lonely = g.add("dense", new Dense(2, true, ActivationFn.LINEAR));
        assertThat(ShapeInference.infer(g).error(lonely)).contains("not connected");
    }
}

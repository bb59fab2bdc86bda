package k210studio.converter.train;

import k210studio.converter.compile.CalibrationDataset;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;

/**
 * A picture as the board feeds the model, the same way the simulator, the compiler's calibration and the
 * exported {@code boot.py} do it: MaixPy's bilinear resize to the input's width × height, planar uint8 (RGB,
 * BGR swapped when the project says so, or MaixPy's luminance for one channel), then x = (pixel − mean) / std
 * with one mean/std for all channels in pixel units (the KPU input has one quantization; a project with
 * per-channel values uses channel 0's, as the compiler and simulator do).
 *
 * @param h     input height
 * @param w     input width
 * @param c     1 or 3 channels
 * @param mean  pixel-unit mean
 * @param std   pixel-unit std
 * @param order channel order of the input tensor
 */
public record BoardInput(int h, int w, int c, float mean, float std, ChannelOrder order) {

    public BoardInput {
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("image models take 1 (grey) or 3 (RGB) channels; this input has " + c);
        }
    }

    /** The board input of a model input shape under a project's preprocessing. */
    public static BoardInput of(TensorShape input, Preprocessing p) throws TrainingException {
        if (!input.isImage() || (input.c() != 1 && input.c() != 3)) {
            throw new TrainingException("training on images needs an H×W×1 or H×W×3 input; this network's input is " + input);
        }
        float s = p.inputScale();
        // pixel units: x = (p·scale − m) / sd = (p − m/scale) / (sd/scale); 1/(1/255) rounding snapped as the compiler does
        float mean = (float) (Math.round((double) p.meanOf(0) / s * 1e4) / 1e4);
        float std = (float) (Math.round((double) p.stdOf(0) / s * 1e4) / 1e4);
        if (std < 0) {
            mean = -mean;
            std = -std;
        }
        return new BoardInput(input.h(), input.w(), input.c(), mean, std, p.channelOrder());
    }

    /** The planar C×H×W uint8 bytes the board gives the model for this picture. */
    public byte[] planar(RgbImage img) {
        byte[] p = ModelImageInput.planar(img, w, h, c, ImageResize.Method.BILINEAR, false);
        if (order == ChannelOrder.BGR && c == 3) {
            int plane = h * w;
            byte[] t = new byte[plane];
            System.arraycopy(p, 0, t, 0, plane);
            System.arraycopy(p, 2 * plane, p, 0, plane);
            System.arraycopy(t, 0, p, 2 * plane, plane);
        }
        return p;
    }

    /** Planar board bytes → the float input (H×W×C, NHWC order). */
    public float[] tensor(byte[] planar) {
        return CalibrationDataset.fromPlanar(planar, h, w, c, mean, std).data();
    }

    public TensorShape shape() {
        return TensorShape.hwc(h, w, c);
    }
}

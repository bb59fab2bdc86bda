package k210studio.converter.importing;

import java.util.List;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;

/**
 * The usual ways image models take their input, for a model whose file does not say: x = (pixel − mean) / std
 * with pixels 0..255 (mean and std in pixel units).
 */
public enum PreprocessingPreset {
    /** x = pixel / 255 (Keras {@code Rescaling(1/255)}, most small custom models). */
    UNIT("[0, 1]", "x = pixel / 255", List.of(0f), List.of(255f)),
    /** x = pixel / 127.5 − 1 (MobileNet, {@code tf.keras.applications.mobilenet.preprocess_input}). */
    SYMMETRIC("[-1, 1]", "x = (pixel − 127.5) / 127.5", List.of(127.5f), List.of(127.5f)),
    /** The raw pixel values (models with their own scaling inside, or trained on raw bytes). */
    RAW("0..255", "x = pixel", List.of(0f), List.of(1f)),
    /** Torchvision / Keras {@code preprocess_input(mode="torch")}: ImageNet mean and std per channel (RGB). */
    IMAGENET("ImageNet mean/std", "x = (pixel − [123.675, 116.28, 103.53]) / [58.395, 57.12, 57.375]",
            List.of(123.675f, 116.28f, 103.53f), List.of(58.395f, 57.12f, 57.375f));

    private final String label;
    private final String formula;
    private final List<Float> mean;
    private final List<Float> std;

    PreprocessingPreset(String label, String formula, List<Float> mean, List<Float> std) {
        this.label = label;
        this.formula = formula;
        this.mean = mean;
        this.std = std;
    }

    public String label() {
        return label;
    }

    public String formula() {
        return formula;
    }

    /** The preset as a project preprocessing (pixel units, RGB). */
    public Preprocessing preprocessing() {
        return new Preprocessing(mean, std, ChannelOrder.RGB, 1f);
    }

    @Override
    public String toString() {
        return label + "  (" + formula + ")";
    }

    /** The preset a preprocessing amounts to (within 1e-3 of a pixel), or null. */
    public static PreprocessingPreset matching(Preprocessing p, int channels) {
        for (PreprocessingPreset s : values()) {
            if (equivalent(s.preprocessing(), p, Math.max(1, channels))) {
                return s;
            }
        }
        return null;
    }

    /** True when both map every pixel of every channel to the same input (to 1e-3 relative). */
    public static boolean equivalent(Preprocessing a, Preprocessing b, int channels) {
        for (int c = 0; c < channels; c++) {
            for (int pixel : new int[] {0, 255}) {
                float x = a.apply(pixel, c);
                float y = b.apply(pixel, c);
                if (Math.abs(x - y) > 1e-3f * Math.max(1f, Math.abs(x))) {
                    return false;
                }
            }
        }
        return true;
    }
}

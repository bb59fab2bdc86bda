package k210studio.ir.project;

import java.util.List;

/**
 * How a camera/image pixel becomes a model input value: {@code x = (pixel · inputScale − mean[c]) / std[c]}
 * for 0..255 pixels in {@link #channelOrder()}. {@code mean}/{@code std} hold one value for all
 * channels or one per channel. Defaults (scale 1/255, mean 0, std 1) give inputs in 0..1; nncase's
 * {@code --input-mean 0.5 --input-std 1} is {@code mean [0.5], std [1]}.
 */
public record Preprocessing(List<Float> mean, List<Float> std, ChannelOrder channelOrder, float inputScale) {

    public Preprocessing {
        mean = List.copyOf(mean == null ? List.of(0f) : mean);
        std = List.copyOf(std == null ? List.of(1f) : std);
        if (channelOrder == null) {
            channelOrder = ChannelOrder.RGB;
        }
        if (mean.isEmpty() || std.isEmpty()) {
            throw new IllegalArgumentException("preprocessing mean and std need at least one value each");
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("preprocessing mean must be a finite number, got " + m);
            }
        }
        for (float s : std) {
            if (!Float.isFinite(s) || s == 0f) {
                throw new IllegalArgumentException("preprocessing std must be a finite non-zero number, got " + s);
            }
        }
        if (!Float.isFinite(inputScale) || inputScale == 0f) {
            throw new IllegalArgumentException("preprocessing inputScale must be a finite non-zero number, got " + inputScale);
        }
    }

    /** Pixels scaled to 0..1, RGB. */
    public static Preprocessing unit() {
        return new Preprocessing(List.of(0f), List.of(1f), ChannelOrder.RGB, 1f / 255f);
    }

    /** The mean used for channel {@code c}. */
    public float meanOf(int c) {
        return perChannel(mean, "mean", c);
    }

    /** The std used for channel {@code c}. */
    public float stdOf(int c) {
        return perChannel(std, "std", c);
    }

    /**
     * Checks that mean and std fit an input with {@code channels} channels.
     *
     * @return null when they fit, else a message for the user
     */
    public String mismatch(int channels) {
        for (List<Float> l : List.of(mean, std)) {
            if (l.size() != 1 && l.size() != channels) {
                return "preprocessing " + (l == mean ? "mean" : "std") + " has " + l.size() + " values but the input has "
                        + channels + " channels: give one value, or one per channel";
            }
        }
        return null;
    }

    private static float perChannel(List<Float> values, String what, int c) {
        if (values.size() == 1) {
            return values.get(0);
        }
        if (c < 0 || c >= values.size()) {
            throw new IllegalArgumentException("preprocessing " + what + " has " + values.size() + " values, none for channel " + c
                    + ": give one value, or one per channel");
        }
        return values.get(c);
    }

    /** The model input value for one 0..255 pixel value of channel {@code c}. */
    public float apply(int pixel, int c) {
        return (pixel * inputScale - meanOf(c)) / stdOf(c);
    }
}

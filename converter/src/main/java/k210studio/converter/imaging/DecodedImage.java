package k210studio.converter.imaging;

/**
 * An 8-bit image as decoded from a file: {@code channels} 1 (gray) or 3 (RGB), samples
 * interleaved row by row (0..255 in an int array). Gray files keep their stored byte values
 * (no colour-space conversion), so images whose bytes are data (e.g. tflite-micro's int8 test
 * pictures) can be fed raw.
 */
public record DecodedImage(int width, int height, int channels, int[] samples) {

    public DecodedImage {
        if (width < 1 || height < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("invalid image " + width + "×" + height + "×" + channels);
        }
        if (samples.length != (long) width * height * channels) {
            throw new IllegalArgumentException("an image of " + width + "×" + height + "×" + channels + " needs "
                    + (long) width * height * channels + " samples, got " + samples.length);
        }
    }

    public int sample(int x, int y, int c) {
        return samples[(y * width + x) * channels + c];
    }

    /** The same picture with {@code wanted} channels: RGB → gray with PIL's "L" weights, gray → RGB by copying. */
    public DecodedImage withChannels(int wanted) {
        if (wanted == channels) {
            return this;
        }
        int n = width * height;
        int[] out = new int[n * wanted];
        if (wanted == 1) {
            for (int i = 0; i < n; i++) {
                int r = samples[3 * i];
                int g = samples[3 * i + 1];
                int b = samples[3 * i + 2];
                out[i] = (r * 299 + g * 587 + b * 114 + 500) / 1000;
            }
        } else if (wanted == 3) {
            for (int i = 0; i < n; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = samples[i];
            }
        } else {
            throw new IllegalArgumentException("images have 1 or 3 channels, the model wants " + wanted);
        }
        return new DecodedImage(width, height, wanted, out);
    }
}

package k210studio.converter.imaging;

import java.nio.file.Path;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.RgbImage;

/**
 * Decodes JPEG, PNG and BMP files with the simulator's decoder ({@link ImageFiles}: ImageIO,
 * raw samples for 8-bit gray so stored byte values are kept) into a {@link DecodedImage}: one
 * channel when every pixel is gray, else RGB.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    public static DecodedImage decode(Path file) throws ImageFormatException {
        try {
            return fromRgb(ImageFiles.read(file));
        } catch (ImageDecodeException e) {
            throw new ImageFormatException(e.getMessage(), e);
        }
    }

    public static DecodedImage decode(byte[] bytes, String name) throws ImageFormatException {
        try {
            return fromRgb(ImageFiles.decode(bytes, name));
        } catch (ImageDecodeException e) {
            throw new ImageFormatException(e.getMessage(), e);
        }
    }

    /** An RGB image as decoded samples: 1 channel when R = G = B everywhere. */
    public static DecodedImage fromRgb(RgbImage img) {
        int n = img.width() * img.height();
        byte[] rgb = img.rgb();
        if (img.isGray()) {
            int[] g = new int[n];
            for (int i = 0; i < n; i++) {
                g[i] = rgb[3 * i] & 0xFF;
            }
            return new DecodedImage(img.width(), img.height(), 1, g);
        }
        int[] s = new int[3 * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = rgb[i] & 0xFF;
        }
        return new DecodedImage(img.width(), img.height(), 3, s);
    }
}

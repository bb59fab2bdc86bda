package k210studio.converter.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes BMP, PNG, JPEG and GIF files with the JDK's ImageIO into 8-bit gray or RGB samples.
 * Samples are read from the raster, not through {@code getRGB}, so gray images keep their stored
 * values (ImageIO would otherwise apply a linear-to-sRGB conversion to gray).
 */
public final class ImageDecoder {
    /** Pictures larger than this many pixels are refused. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private ImageDecoder() {
    }

    public static DecodedImage decode(Path file) throws ImageFormatException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException("image file not found: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in, file.getFileName().toString());
        }
    }

    public static DecodedImage decode(InputStream in, String name) throws ImageFormatException, IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException("cannot decode the image " + name + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new ImageFormatException("cannot decode " + name + ": not a BMP, PNG, JPEG or GIF image");
        }
        return fromBufferedImage(img);
    }

    public static DecodedImage fromBufferedImage(BufferedImage img) throws ImageFormatException {
        int w = img.getWidth();
        int h = img.getHeight();
        if ((long) w * h > MAX_PIXELS) {
            throw new ImageFormatException("the image is " + w + "×" + h + ", larger than " + MAX_PIXELS + " pixels");
        }
        Raster r = img.getRaster();
        if (img.getColorModel() instanceof IndexColorModel icm) {
            boolean gray = true;
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                    gray = false;
                    break;
                }
            }
            int[] out = new int[w * h * (gray ? 1 : 3)];
            int k = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int idx = r.getSample(x, y, 0);
                    if (gray) {
                        out[k++] = icm.getRed(idx);
                    } else {
                        out[k++] = icm.getRed(idx);
                        out[k++] = icm.getGreen(idx);
                        out[k++] = icm.getBlue(idx);
                    }
                }
            }
            return new DecodedImage(w, h, gray ? 1 : 3, out);
        }
        if (img.getColorModel() instanceof ComponentColorModel ccm && r.getSampleModel().getSampleSize(0) == 8) {
            int type = ccm.getColorSpace().getType();
            int bands = r.getNumBands();
            if (type == ColorSpace.TYPE_GRAY && bands >= 1) {
                int[] out = new int[w * h];
                r.getSamples(0, 0, w, h, 0, out);
                return new DecodedImage(w, h, 1, out);
            }
            if (type == ColorSpace.TYPE_RGB && bands >= 3) {
                int[] out = new int[w * h * 3];
                int[] band = new int[w * h];
                for (int b = 0; b < 3; b++) {
                    r.getSamples(0, 0, w, h, b, band);
                    for (int i = 0; i < band.length; i++) {
                        out[3 * i + b] = band[i];
                    }
                }
                return new DecodedImage(w, h, 3, out);
            }
        }
        int[] out = new int[w * h * 3];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                out[k++] = (rgb >> 16) & 0xFF;
                out[k++] = (rgb >> 8) & 0xFF;
                out[k++] = rgb & 0xFF;
            }
        }
        return new DecodedImage(w, h, 3, out);
    }
}

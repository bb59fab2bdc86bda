package k210studio.kpu.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG and BMP files (javax.imageio: 24/32-bit, 8-bit grayscale and palette BMPs,
 * gray and palette PNGs) to {@link RgbImage}.
 */
public final class ImageFiles {
    /** Largest decoded image accepted (pixels), to refuse decompression bombs. */
    public static final long MAX_PIXELS = 64L << 20;

    private ImageFiles() {
    }

    public static RgbImage read(Path file) throws ImageDecodeException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageDecodeException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    public static RgbImage decode(byte[] bytes, String name) throws ImageDecodeException {
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new ImageDecodeException("cannot decode image " + name + ": not a JPEG, PNG or BMP file"
                        + " (or an unsupported variant); convert it to PNG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // the size from the header is checked before any pixel buffer is allocated
                long px = (long) reader.getWidth(0) * reader.getHeight(0);
                if (px > MAX_PIXELS || px <= 0) {
                    throw new ImageDecodeException("image " + name + " declares " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " pixels; at most " + MAX_PIXELS + " are accepted");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException("cannot decode image " + name + ": " + e.getMessage()
                    + "; use a JPEG, PNG or BMP file", e);
        }
        return fromBufferedImage(img);
    }

    /** Converts any BufferedImage (gray, palette, RGB, ARGB; alpha ignored) to RGB. */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        int[] row = new int[w];
        int p = 0;
        boolean gray = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < h; y++) {
            if (gray) {
                // read raw gray samples (getRGB would apply a gamma conversion to TYPE_BYTE_GRAY)
                img.getRaster().getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) row[x];
                    rgb[p++] = v;
                    rgb[p++] = v;
                    rgb[p++] = v;
                }
            } else {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int v = row[x];
                    rgb[p++] = (byte) (v >> 16);
                    rgb[p++] = (byte) (v >> 8);
                    rgb[p++] = (byte) v;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }
}

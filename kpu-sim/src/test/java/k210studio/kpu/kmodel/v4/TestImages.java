package k210studio.kpu.kmodel.v4;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Test-side image preparation: decode with ImageIO, resize to the model input with OpenCV's
 * INTER_LINEAR convention (half-pixel centres, as ncc infer and the dataset tools do), and lay the
 * pixels out as RGB planar uint8 (CHW), which is what the K210 DVP writes and MaixPy's pix_ai holds.
 */
final class TestImages {
    private TestImages() {
    }

    static byte[] rgbPlanar(Path file, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("cannot decode " + file);
        }
        int sw = img.getWidth();
        int sh = img.getHeight();
        int[] argb = img.getRGB(0, 0, sw, sh, null, 0, sw);
        byte[] out = new byte[3 * width * height];
        double sx = (double) sw / width;
        double sy = (double) sh / height;
        for (int y = 0; y < height; y++) {
            double fy = (y + 0.5) * sy - 0.5;
            int y0 = (int) Math.floor(fy);
            double dy = fy - y0;
            int ya = clamp(y0, sh), yb = clamp(y0 + 1, sh);
            for (int x = 0; x < width; x++) {
                double fx = (x + 0.5) * sx - 0.5;
                int x0 = (int) Math.floor(fx);
                double dx = fx - x0;
                int xa = clamp(x0, sw), xb = clamp(x0 + 1, sw);
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    double v = (1 - dy) * ((1 - dx) * ch(argb[ya * sw + xa], shift) + dx * ch(argb[ya * sw + xb], shift))
                            + dy * ((1 - dx) * ch(argb[yb * sw + xa], shift) + dx * ch(argb[yb * sw + xb], shift));
                    out[c * width * height + y * width + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return out;
    }

    private static int ch(int argb, int shift) {
        return (argb >> shift) & 0xFF;
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }
}

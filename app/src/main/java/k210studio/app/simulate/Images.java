package k210studio.app.simulate;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import k210studio.kpu.image.RgbImage;

/** JavaFX images of what the simulator sees. */
public final class Images {
    private Images() {
    }

    public static WritableImage of(RgbImage img) {
        WritableImage out = new WritableImage(img.width(), img.height());
        out.getPixelWriter().setPixels(0, 0, img.width(), img.height(), PixelFormat.getByteRgbInstance(), img.rgb(), 0, img.width() * 3);
        return out;
    }

    /** The board input (planar uint8 C×H×W, C = 1 or 3) as an image. */
    public static WritableImage ofPlanar(byte[] planar, int c, int h, int w) {
        byte[] rgb = new byte[w * h * 3];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            for (int k = 0; k < 3; k++) {
                rgb[i * 3 + k] = planar[(c == 3 ? k : 0) * plane + i];
            }
        }
        WritableImage out = new WritableImage(w, h);
        out.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getByteRgbInstance(), rgb, 0, w * 3);
        return out;
    }
}

package k210studio.converter.train;

import java.util.Random;
import k210studio.kpu.image.RgbImage;

/**
 * The augmentation users expect from an image-classifier trainer: a random crop keeping the aspect ratio
 * (each side scaled by a factor in [minCrop, 1], placed anywhere), a horizontal flip with probability ½ and a
 * brightness change (every pixel times a factor in [1 − brightness, 1 + brightness]). The crop is taken from
 * the full picture before the board resize; flip and brightness act on the board input, so the network sees
 * exactly what the camera path would give for such a picture.
 *
 * @param minCrop    smallest side fraction of the crop (1 = no cropping)
 * @param flip       random horizontal flips
 * @param brightness largest relative brightness change (0 = none)
 */
public record Augmentation(float minCrop, boolean flip, float brightness) {

    public Augmentation {
        if (!(minCrop > 0 && minCrop <= 1)) {
            throw new IllegalArgumentException("the crop fraction must be in (0, 1], got " + minCrop);
        }
        if (!(brightness >= 0 && brightness < 1)) {
            throw new IllegalArgumentException("the brightness change must be in [0, 1), got " + brightness);
        }
    }

    /** Crops down to 80 % of a side, flips, ±20 % brightness. */
    public static Augmentation standard() {
        return new Augmentation(0.8f, true, 0.2f);
    }

    public static Augmentation none() {
        return new Augmentation(1f, false, 0f);
    }

    public boolean isNone() {
        return minCrop == 1f && !flip && brightness == 0f;
    }

    /** The board input of one augmented version of the picture. */
    public byte[] apply(RgbImage img, Random r, BoardInput in) {
        RgbImage src = img;
        if (minCrop < 1f) {
            float s = minCrop + r.nextFloat() * (1f - minCrop);
            int cw = Math.max(1, Math.round(img.width() * s));
            int ch = Math.max(1, Math.round(img.height() * s));
            src = crop(img, r.nextInt(img.width() - cw + 1), r.nextInt(img.height() - ch + 1), cw, ch);
        }
        byte[] p = in.planar(src);
        int plane = in.h() * in.w();
        if (flip && r.nextBoolean()) {
            for (int ch = 0; ch < in.c(); ch++) {
                for (int y = 0; y < in.h(); y++) {
                    int row = ch * plane + y * in.w();
                    for (int a = 0, b = in.w() - 1; a < b; a++, b--) {
                        byte t = p[row + a];
                        p[row + a] = p[row + b];
                        p[row + b] = t;
                    }
                }
            }
        }
        if (brightness > 0f) {
            float f = 1f + (r.nextFloat() * 2f - 1f) * brightness;
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) Math.min(255, Math.max(0, Math.round((p[i] & 0xFF) * f)));
            }
        }
        return p;
    }

    /** A rectangle of the picture. */
    public static RgbImage crop(RgbImage img, int x0, int y0, int w, int h) {
        byte[] all = img.rgb();
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(all, 3 * ((y0 + y) * img.width() + x0), out, 3 * y * w, 3 * w);
        }
        return new RgbImage(w, h, out);
    }
}

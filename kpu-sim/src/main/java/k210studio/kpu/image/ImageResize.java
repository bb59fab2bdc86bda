package k210studio.kpu.image;

/**
 * Resizing of {@link RgbImage}s. {@link Method#BILINEAR} is a separable triangle filter whose
 * support grows with the down-scale factor (like PIL's {@code BILINEAR}), so shrinking a photo
 * averages instead of aliasing; {@link Method#NEAREST} picks src = floor(dst x in/out) (what
 * OpenMV/MaixPy's fast resize does).
 */
public final class ImageResize {
    public enum Method { BILINEAR, NEAREST }

    private ImageResize() {
    }

    public static RgbImage resize(RgbImage img, int w, int h, Method method) {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + w + "x" + h);
        }
        if (w == img.width() && h == img.height()) {
            return img;
        }
        if (method == Method.NEAREST) {
            byte[] out = new byte[3 * w * h];
            byte[] src = img.rgbRef();
            int p = 0;
            for (int y = 0; y < h; y++) {
                int sy = Math.min((int) ((long) y * img.height() / h), img.height() - 1);
                for (int x = 0; x < w; x++) {
                    int sx = Math.min((int) ((long) x * img.width() / w), img.width() - 1);
                    int s = 3 * (sy * img.width() + sx);
                    out[p++] = src[s];
                    out[p++] = src[s + 1];
                    out[p++] = src[s + 2];
                }
            }
            return new RgbImage(w, h, out);
        }
        float[] horizontal = pass(toFloat(img.rgbRef()), img.width(), img.height(), w, true);
        float[] both = pass(horizontal, w, img.height(), h, false);
        byte[] out = new byte[both.length];
        for (int i = 0; i < both.length; i++) {
            int v = Math.round(both[i]);
            out[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return new RgbImage(w, h, out);
    }

    private static float[] toFloat(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] & 0xFF;
        }
        return f;
    }

    /** One separable triangle-filter pass along x (horizontal) or y. Data is interleaved RGB. */
    private static float[] pass(float[] src, int sw, int sh, int dst, boolean horizontal) {
        int inLen = horizontal ? sw : sh;
        double scale = (double) inLen / dst;
        double support = Math.max(1.0, scale);
        int ow = horizontal ? dst : sw;
        int oh = horizontal ? sh : dst;
        float[] out = new float[3 * ow * oh];
        for (int o = 0; o < dst; o++) {
            double center = (o + 0.5) * scale;
            int lo = (int) Math.max(0, Math.floor(center - support));
            int hi = (int) Math.min(inLen, Math.ceil(center + support));
            double[] wts = new double[Math.max(0, hi - lo)];
            double total = 0;
            for (int k = lo; k < hi; k++) {
                double d = Math.abs((k + 0.5 - center) / support);
                double wt = d < 1 ? 1 - d : 0;
                wts[k - lo] = wt;
                total += wt;
            }
            if (total == 0) {
                int k = Math.min(inLen - 1, (int) center);
                lo = k;
                wts = new double[] {1};
                total = 1;
            }
            int other = horizontal ? sh : sw;
            for (int j = 0; j < other; j++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int k = 0; k < wts.length; k++) {
                        int s = horizontal ? 3 * (j * sw + lo + k) + c : 3 * ((lo + k) * sw + j) + c;
                        acc += wts[k] * src[s];
                    }
                    int d = horizontal ? 3 * (j * ow + o) + c : 3 * (o * ow + j) + c;
                    out[d] = (float) (acc / total);
                }
            }
        }
        return out;
    }
}

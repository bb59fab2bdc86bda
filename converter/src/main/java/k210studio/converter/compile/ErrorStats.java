package k210studio.converter.compile;

/**
 * How close a K210 result is to the float reference: cosine similarity, the largest absolute difference and the
 * signal-to-noise ratio 10·log10(Σref² / Σ(ref − k210)²) in dB.
 */
public record ErrorStats(double cosine, double maxAbsDiff, double snrDb) {

    public static ErrorStats of(float[] ref, float[] k210) {
        if (ref.length != k210.length) {
            throw new IllegalArgumentException("cannot compare " + ref.length + " with " + k210.length + " values");
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        double noise = 0;
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            double a = ref[i];
            double b = k210[i];
            ab += a * b;
            aa += a * a;
            bb += b * b;
            double d = a - b;
            noise += d * d;
            max = Math.max(max, Math.abs(d));
        }
        double cos = aa == 0 || bb == 0 ? (aa == bb ? 1 : 0) : ab / Math.sqrt(aa * bb);
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(aa / noise);
        return new ErrorStats(cos, max, snr);
    }
}

package k210studio.converter.quant;

/**
 * Per-output-channel BN stage parameters (kpu-arith.md §3.3, §4.5): bn = floor(acc · mul / 2^shift) + add,
 * packed per channel as norm_mul bits 0–23, norm_add bits 24–55, norm_shift bits 56–59.
 *
 * @param mul   norm_mul per channel (signed 24-bit)
 * @param shift norm_shift per channel (0…15)
 * @param add   norm_add per channel (signed 32-bit)
 * @param sAct  the scale of the BN output relative to the float pre-activation value (V4: s_y·post; V3: 1024·s_y
 *              with the output zero point already added)
 */
public record KpuBatchNorm(long[] mul, int[] shift, long[] add, double sAct) {

    /**
     * V4 (beta4 {@code quantize_bn}).
     *
     * @param sx   input scale
     * @param sw   weight scale
     * @param sy   conv output scale (after the fused clamp, before a fused unary)
     * @param eq   per-channel weight equalisation factors
     * @param bias folded float bias per channel
     */
    public static KpuBatchNorm v4(float sx, float sw, float sy, float[] eq, float[] bias) {
        float so = sy / (sx * sw);
        FixedMul first = FixedMul.v4(so, 22, 255);
        int k = first.shift();
        int kClamped = Math.min(k, 15);
        int u = k - kClamped;
        double post = ((double) Rounding.halfAway(first.unrounded()) / first.unrounded()) * Math.pow(2, u);
        double sAct = sy * post;
        int n = eq.length;
        long[] mul = new long[n];
        int[] sh = new int[n];
        long[] add = new long[n];
        for (int o = 0; o < n; o++) {
            double c = so * post / eq[o];
            FixedMul m = FixedMul.v4((float) c, 22, 15);
            mul[o] = m.mul();
            sh[o] = m.shift();
            add[o] = Rounding.halfAway(bias[o] * sAct);
        }
        return new KpuBatchNorm(mul, sh, add, sAct);
    }

    /**
     * V3 (rc5 {@code QuantizeBiasAndOutput}, channel-wise): bn = 1024 × the quantized output (zero point included).
     *
     * @param out the quantization of the conv output after its activation
     */
    public static KpuBatchNorm v3(double sx, double sw, QuantParam out, float[] eq, float[] bias) {
        int n = eq.length;
        long[] mul = new long[n];
        int[] sh = new int[n];
        long[] add = new long[n];
        double so = out.scale();
        double bo = out.bias();
        for (int o = 0; o < n; o++) {
            double scomb = so * 1024 / (sx * sw * eq[o]);
            FixedMul m = FixedMul.v3(scomb, 22, 15);
            mul[o] = m.mul();
            sh[o] = m.shift();
            add[o] = Rounding.halfEven((bias[o] * so - bo) * 1024);
        }
        return new KpuBatchNorm(mul, sh, add, so * 1024);
    }

    public long[] words() {
        long[] w = new long[mul.length];
        for (int o = 0; o < w.length; o++) {
            w[o] = (mul[o] & 0xFF_FFFFL) | ((add[o] & 0xFFFF_FFFFL) << 24) | ((long) (shift[o] & 0xF) << 56);
        }
        return w;
    }
}

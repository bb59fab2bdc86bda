package k210studio.kpu.kmodel.v4.body;

/**
 * A V4 {@code quant_param_t} (8 bytes): zero point and a scale in levels per real unit
 * (q = round(x * scale + zp), x = (q - zp) / scale; kmodel-v4.md §10).
 */
public record QuantParam(int zeroPoint, float scale) {
    public static final int BYTES = 8;
}

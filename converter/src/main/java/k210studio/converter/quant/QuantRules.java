package k210studio.converter.quant;

/**
 * Which nncase generation's parameter derivation to reproduce (kpu-arith.md §4):
 * {@link #V3} = nncase 0.1.0-rc5 (double precision, round-half-to-even, fixed activation tables, BN scaled by 2^10),
 * {@link #V4} = nncase 0.2.0-beta4 (float32, round-half-away, range fix-up, fitted 15-segment activation tables).
 */
public enum QuantRules {
    V3,
    V4
}

package k210studio.converter.quant;

/** The rounding functions nncase uses; Java's {@link Math#round} (half up) is neither of them. */
public final class Rounding {
    private Rounding() {
    }

    /** C/C++ {@code roundf}/{@code std::round}: halves away from zero (nncase 0.2). */
    public static long halfAway(double v) {
        return (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    }

    /** C# {@code Math.Round}: halves to even (nncase 0.1). */
    public static long halfEven(double v) {
        return (long) Math.rint(v);
    }

    public static long round(double v, QuantRules rules) {
        return rules == QuantRules.V4 ? halfAway(v) : halfEven(v);
    }

    public static int clampU8(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }
}

package k210studio.ir.layer;

/** Argument checks for layer parameters, with messages that name the Keras argument. */
final class Checks {
    private Checks() {
    }

    static void positive(String name, int... values) {
        for (int v : values) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be ≥ 1, got " + v);
            }
        }
    }

    static void nonNegative(String name, int... values) {
        for (int v : values) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must be ≥ 0, got " + v);
            }
        }
    }

    static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}

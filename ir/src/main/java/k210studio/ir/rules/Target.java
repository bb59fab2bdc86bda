package k210studio.ir.rules;

/** The kmodel format a model is checked for (and later compiled to). */
public enum Target {
    /** kmodel V3, written by nncase v0.1.0-rc5: fewer ops, less memory, faster; runs on every MaixPy firmware. */
    V3("V3", "nncase 0.1.0-rc5 (kmodel V3)"),
    /** kmodel V4, written by nncase v0.2.0: more ops (the extra ones in software), more memory and time. */
    V4("V4", "nncase 0.2.0 (kmodel V4)");

    private final String label;
    private final String converter;

    Target(String label, String converter) {
        this.label = label;
        this.converter = converter;
    }

    public String label() {
        return label;
    }

    /** Which nncase version the rules for this target follow. */
    public String converter() {
        return converter;
    }

    /** Parses "v3", "V4", "3", ... */
    public static Target parse(String s) {
        String t = s.trim().toUpperCase();
        if (t.equals("V3") || t.equals("3")) {
            return V3;
        }
        if (t.equals("V4") || t.equals("4")) {
            return V4;
        }
        throw new IllegalArgumentException("unknown target '" + s + "' (use v3 or v4)");
    }
}

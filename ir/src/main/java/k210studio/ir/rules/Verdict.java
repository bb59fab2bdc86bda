package k210studio.ir.rules;

/** Where a layer runs on the K210 for one target, from best to worst. */
public enum Verdict {
    /** Fully accelerated by the KPU. */
    KPU("KPU"),
    /** Accelerated, with CPU work the converter inserts (pad, crop, slice, padding to 4×4): costs memory and time. */
    KPU_CPU("KPU+CPU"),
    /** Runs in software on the CPU. */
    CPU("CPU"),
    /** The converter refuses the model. */
    UNSUPPORTED("UNSUPPORTED");

    private final String display;

    Verdict(String display) {
        this.display = display;
    }

    /** "KPU", "KPU+CPU", "CPU" or "UNSUPPORTED" (also the JSON spelling). */
    public String display() {
        return display;
    }

    public boolean converts() {
        return this != UNSUPPORTED;
    }

    /** The worse of two verdicts. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    public static Verdict fromDisplay(String s) {
        for (Verdict v : values()) {
            if (v.display.equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict '" + s + "'");
    }

    @Override
    public String toString() {
        return display;
    }
}

package k210studio.kpu.kmodel.v4.body;

/** A V4 {@code padding} (8 bytes): before and after; negative values crop. */
public record Padding(int before, int after) {
    public static final int BYTES = 8;

    public int sum() {
        return before + after;
    }
}

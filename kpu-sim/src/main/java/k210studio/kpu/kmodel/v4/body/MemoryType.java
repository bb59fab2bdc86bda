package k210studio.kpu.kmodel.v4.body;

/** Pool a V4 {@link MemoryRange} points into (kmodel-v4.md §3.8, §4). */
public enum MemoryType {
    /** The constants blob inside the model file. */
    CONST(0),
    /** The working memory of {@code header.main_mem} bytes. */
    MAIN(1),
    /** The 2 MiB KPU RAM. */
    KPU(2);

    private final int code;

    MemoryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a stored code, or {@code null} when the code is not one of 0, 1, 2. */
    public static MemoryType ofCode(long code) {
        for (MemoryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

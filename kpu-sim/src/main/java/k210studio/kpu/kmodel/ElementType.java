package k210studio.kpu.kmodel;

/** Element type of a tensor handed to or returned by a kmodel runtime. */
public enum ElementType {
    UINT8(1), INT8(1), INT32(4), FLOAT32(4);

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }
}

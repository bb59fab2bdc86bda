package k210studio.kpu.kmodel.v4.body;

/**
 * A V4 {@code memory_range} (16 bytes: memory_type, datatype, start u32, size u32): a tensor's
 * place in one of the pools. {@code start} and {@code size} are unsigned 32-bit values kept as longs.
 */
public record MemoryRange(MemoryType memoryType, DataType dataType, long start, long size) {
    public static final int BYTES = 16;

    public MemoryRange {
        if (memoryType == null || dataType == null) {
            throw new IllegalArgumentException("memory range needs a memory type and a data type");
        }
        if (start < 0 || start > 0xFFFF_FFFFL || size < 0 || size > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("memory range start/size must be unsigned 32-bit values");
        }
    }

    /** Element count: size / element width (floor). */
    public long elements() {
        return size / dataType.bytes();
    }

    public long end() {
        return start + size;
    }

    @Override
    public String toString() {
        return memoryType.name().toLowerCase() + ":" + dataType.name().toLowerCase()
                + "[0x" + Long.toHexString(start) + "+" + size + "]";
    }
}

package k210studio.converter.memory;

/**
 * A memory the compiler places buffers in: the 2 MiB KPU RAM (addressed in 64-byte lines) or the main-memory
 * scratch buffer of a kmodel (bytes, 8-byte aligned as nncase rounds every allocation).
 *
 * @param name     "KPU RAM" or "main memory" (used in messages)
 * @param unit     bytes per address unit (64 for KPU lines, 1 for main memory)
 * @param align    alignment of every allocation, in units
 * @param capacity size in units ({@code Long.MAX_VALUE} for an unbounded pool)
 */
public record MemoryPool(String name, int unit, int align, long capacity) {
    /** 2 MiB = 32768 lines of 64 bytes. */
    public static final MemoryPool KPU_RAM = new MemoryPool("KPU RAM", 64, 1, 32768);

    /** The kmodel's main-memory scratch area (its size is what the plan finds; the budget is checked separately). */
    public static MemoryPool mainMemory(long capacityBytes) {
        return new MemoryPool("main memory", 1, 8, capacityBytes);
    }

    public long alignUp(long units) {
        return (units + align - 1) / align * align;
    }
}

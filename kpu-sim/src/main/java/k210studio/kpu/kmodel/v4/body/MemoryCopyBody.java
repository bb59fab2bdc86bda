package k210studio.kpu.kmodel.v4.body;

/** memory_copy (0x09, 32 B): copies the input bytes in 4-byte units, i.e. floor(size / 4) * 4 bytes (§6.9). */
public record MemoryCopyBody(MemoryRange input, MemoryRange output) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.MEMORY_COPY;
    }
}

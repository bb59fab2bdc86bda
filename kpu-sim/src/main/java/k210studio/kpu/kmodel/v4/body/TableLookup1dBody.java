package k210studio.kpu.kmodel.v4.body;

/** table_lookup1d (0x12, 48 B): out[i] = table[in[i]] on uint8 (§6.18). */
public record TableLookup1dBody(MemoryRange input, MemoryRange table, MemoryRange output) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.TABLE_LOOKUP1D;
    }
}

package k210studio.kpu.kmodel.v3;

/** REQUANTIZE (13), 272 bytes: out[i] = table[in[i]] over count u8 values. */
public record RequantizeBody(long flags, long in, long out, long count, byte[] table) implements V3LayerBody {
    public RequantizeBody {
        if (table.length != 256) {
            throw new IllegalArgumentException("requantize table must have 256 entries, has " + table.length);
        }
        table = table.clone();
    }

    @Override
    public byte[] table() {
        return table.clone();
    }

    byte[] tableRef() {
        return table;
    }

    public V3LayerType type() {
        return V3LayerType.REQUANTIZE;
    }

    @Override
    public boolean equals(Object x) {
        return x instanceof RequantizeBody r && r.flags == flags && r.in == in && r.out == out && r.count == count
                && java.util.Arrays.equals(r.table, table);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(flags, in, out, count, java.util.Arrays.hashCode(table));
    }
}

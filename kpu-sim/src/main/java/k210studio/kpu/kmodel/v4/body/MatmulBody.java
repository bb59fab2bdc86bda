package k210studio.kpu.kmodel.v4.body;

/** matmul (0x04, 68 B + bias f32[b_cols]): A(a_rows x a_cols) * B(a_cols x b_cols) + bias, clamped (§6.5). */
public record MatmulBody(MemoryRange inputA, MemoryRange inputB, MemoryRange output, int aRows, int aCols, int bCols, ValueRange fusedActivation, Floats bias) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.MATMUL;
    }
}

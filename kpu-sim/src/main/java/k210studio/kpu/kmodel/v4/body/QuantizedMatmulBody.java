package k210studio.kpu.kmodel.v4.body;

/** quantized_matmul (0x10, 80 B + bias i32[b_cols]) (§6.16). */
public record QuantizedMatmulBody(MemoryRange inputA, MemoryRange inputB, MemoryRange output, int aRows, int aCols, int bCols, int inputAOffset, int inputBOffset, int outputMul, int outputShift, int outputOffset, Ints bias) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.QUANTIZED_MATMUL;
    }
}

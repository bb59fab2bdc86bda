package k210studio.kpu.kmodel.v3;

/** QUANTIZED_ADD (2), 56 bytes: u8 add with offsets, 32-bit multipliers and shifts (kmodel-v3.md §4.2). */
public record QuantizedAddBody(long flags, long inA, long inB, long out, long count, int inAOffset, int inAMul,
                               int inAShift, int inBOffset, int inBMul, int inBShift, int outOffset, int outMul,
                               int outShift) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.QUANTIZED_ADD;
    }
}

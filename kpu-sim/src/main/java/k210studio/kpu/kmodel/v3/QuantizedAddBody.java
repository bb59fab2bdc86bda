package k210studio.kpu.kmodel.v3;

/** QUANTIZED_ADD (2), 56 bytes: u8 add with offsets, 32-bit multipliers and shifts (kmodel-v3.md §4.2). */
public record QuantizedAddBody(long flags, long inA, long inB, long out, long count, int inAOffset, int inAMul,
                               int inAShift, int inBOffset, int inBMul, int inBShift, int outOffset, int outMul,
                               int outShift) implements V3LayerBody {
    public V3LayerType type() {
        return V3LayerType.QUANTIZED_ADD;
    }

    public void write(LeBuffer o) {
        o.u32(flags);
        o.u32(inA);
        o.u32(inB);
        o.u32(out);
        o.u32(count);
        o.u32(inAOffset);
        o.u32(inAMul);
        o.u32(inAShift);
        o.u32(inBOffset);
        o.u32(inBMul);
        o.u32(inBShift);
        o.u32(outOffset);
        o.u32(outMul);
        o.u32(outShift);
    }
}

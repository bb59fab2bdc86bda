package k210studio.kpu.kmodel.v4.body;

/** dequantize (0x03, 40 B): uint8 q to float (q - zero_point) / scale (§6.4). */
public record DequantizeBody(MemoryRange input, MemoryRange output, QuantParam quantParam) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.DEQUANTIZE;
    }
}

package k210studio.kpu.kmodel.v4.body;

/** quantize (0x06, 40 B): float x to clamp(round(x * scale + zero_point), 0, 255) (§6.4). */
public record QuantizeBody(MemoryRange input, MemoryRange output, QuantParam quantParam) implements V4Body {

    @Override
    public V4Opcode opcode() {
        return V4Opcode.QUANTIZE;
    }
}

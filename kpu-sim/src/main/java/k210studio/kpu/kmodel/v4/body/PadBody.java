package k210studio.kpu.kmodel.v4.body;

import java.util.List;

/** pad (0x05, 88 B): per-axis NCHW padding, negative values crop; element width from input.datatype (§6.6). */
public record PadBody(MemoryRange input, MemoryRange output, Shape4 inShape, List<Padding> paddings, Scalar padValue) implements V4Body {
    public PadBody {
        paddings = List.copyOf(paddings);
        if (paddings.size() != 4) {
            throw new IllegalArgumentException("pad needs 4 paddings (N, C, H, W)");
        }
    }

    @Override
    public V4Opcode opcode() {
        return V4Opcode.PAD;
    }
}

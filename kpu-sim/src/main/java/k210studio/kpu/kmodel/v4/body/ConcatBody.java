package k210studio.kpu.kmodel.v4.body;

import java.util.List;

/** concat (0x01, 28 + 20n B): byte copy of n inputs per outer index; innerSize is in BYTES per unit of the axis (§6.2). */
public record ConcatBody(MemoryRange output, long innerSize, long outerSize, List<MemoryRange> inputs, List<Integer> dims) implements V4Body {
    public ConcatBody {
        inputs = List.copyOf(inputs);
        dims = List.copyOf(dims);
        if (inputs.size() != dims.size()) {
            throw new IllegalArgumentException("concat needs one dim per input");
        }
    }

    @Override
    public V4Opcode opcode() {
        return V4Opcode.CONCAT;
    }
}

package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * Schema table {@code Operator}: 0 opcode_index (uint), 1 inputs, 2 outputs,
 * 3 builtin_options_type, 4 builtin_options, 5 custom_options, 6 custom_options_format,
 * 7 mutating_variable_inputs, 8 intermediates.
 */
public final class OperatorTable extends FbTable {
    OperatorTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public long opcodeIndex() throws TfliteFormatException {
        return getUInt(0, 0);
    }

    /** Input tensor indices; −1 marks an omitted optional input. */
    public int[] inputs() throws TfliteFormatException {
        return intVector(1);
    }

    public int[] outputs() throws TfliteFormatException {
        return intVector(2);
    }

    /** The BuiltinOptions union type (0 = none). */
    public int builtinOptionsType() throws TfliteFormatException {
        return getUByte(3, 0);
    }

    /** Position of the builtin options table, −1 when absent. */
    int builtinOptionsPos() throws TfliteFormatException {
        return tablePos(4);
    }

    /**
     * The options table read with the given view, or null when the operator has none.
     *
     * @param expectedType the BuiltinOptions union member the operator must carry ({@link BuiltinOptionsType})
     * @throws TfliteFormatException when the file stores options of another type for this operator
     */
    public <T extends FbTable> T options(int expectedType, OptionsFactory<T> factory) throws TfliteFormatException {
        int p = builtinOptionsPos();
        if (p < 0) {
            return null;
        }
        int type = builtinOptionsType();
        if (type != expectedType) {
            throw corrupt("the operator carries builtin options of union type " + type + " where type " + expectedType
                    + " belongs");
        }
        return factory.create(bb, p, what + " options");
    }

    /** Creates a typed options view at a position. */
    @FunctionalInterface
    public interface OptionsFactory<T extends FbTable> {
        T create(ByteBuffer bb, int pos, String what) throws TfliteFormatException;
    }
}

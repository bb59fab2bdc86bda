package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * Schema table {@code QuantizationParameters}: 0 min, 1 max, 2 scale, 3 zero_point (long),
 * 4 details_type, 5 details, 6 quantized_dimension.
 */
public final class QuantizationTable extends FbTable {
    QuantizationTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public float[] min() throws TfliteFormatException {
        return floatVector(0);
    }

    public float[] max() throws TfliteFormatException {
        return floatVector(1);
    }

    public float[] scale() throws TfliteFormatException {
        return floatVector(2);
    }

    public long[] zeroPoint() throws TfliteFormatException {
        return longVector(3);
    }

    /** The union type of custom quantization details (0 = none). */
    public int detailsType() throws TfliteFormatException {
        return getUByte(4, 0);
    }

    public int quantizedDimension() throws TfliteFormatException {
        return getInt(6, 0);
    }
}

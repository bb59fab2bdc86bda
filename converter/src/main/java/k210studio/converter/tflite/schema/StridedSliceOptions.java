package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code StridedSliceOptions}: 0 begin_mask, 1 end_mask, 2 ellipsis_mask, 3 new_axis_mask, 4 shrink_axis_mask, 5 offset. */
public final class StridedSliceOptions extends FbTable {
    public StridedSliceOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int beginMask() throws TfliteFormatException {
        return getInt(0, 0);
    }

    public int endMask() throws TfliteFormatException {
        return getInt(1, 0);
    }

    public int ellipsisMask() throws TfliteFormatException {
        return getInt(2, 0);
    }

    public int newAxisMask() throws TfliteFormatException {
        return getInt(3, 0);
    }

    public int shrinkAxisMask() throws TfliteFormatException {
        return getInt(4, 0);
    }

    public boolean offset() throws TfliteFormatException {
        return getBool(5, false);
    }
}

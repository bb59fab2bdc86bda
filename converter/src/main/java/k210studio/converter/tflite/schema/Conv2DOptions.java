package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code Conv2DOptions}: 0 padding, 1 stride_w, 2 stride_h, 3 fused_activation_function, 4 dilation_w_factor, 5 dilation_h_factor. */
public final class Conv2DOptions extends FbTable {
    public Conv2DOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int padding() throws TfliteFormatException {
        return getByte(0, 0);
    }

    public int strideW() throws TfliteFormatException {
        return getInt(1, 0);
    }

    public int strideH() throws TfliteFormatException {
        return getInt(2, 0);
    }

    public int fusedActivation() throws TfliteFormatException {
        return getByte(3, 0);
    }

    public int dilationW() throws TfliteFormatException {
        return getInt(4, 1);
    }

    public int dilationH() throws TfliteFormatException {
        return getInt(5, 1);
    }
}

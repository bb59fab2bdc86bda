package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code FullyConnectedOptions}: 0 fused_activation_function, 1 weights_format, 2 keep_num_dims, 3 asymmetric_quantize_inputs. */
public final class FullyConnectedOptions extends FbTable {
    public FullyConnectedOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int fusedActivation() throws TfliteFormatException {
        return getByte(0, 0);
    }

    public int weightsFormat() throws TfliteFormatException {
        return getByte(1, 0);
    }

    public boolean keepNumDims() throws TfliteFormatException {
        return getBool(2, false);
    }
}

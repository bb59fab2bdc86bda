package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema tables {@code AddOptions}, {@code SubOptions}, {@code MulOptions}: field 0 is fused_activation_function in each. */
public final class FusedActivationOptions extends FbTable {
    public FusedActivationOptions(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int fusedActivation() throws TfliteFormatException {
        return getByte(0, 0);
    }
}

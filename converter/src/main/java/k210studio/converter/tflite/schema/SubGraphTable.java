package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import k210studio.converter.tflite.TfliteFormatException;

/** Schema table {@code SubGraph}: 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name. */
public final class SubGraphTable extends FbTable {
    SubGraphTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
        super(bb, pos, what);
    }

    public int tensorCount() throws TfliteFormatException {
        return vectorLength(0, 4);
    }

    public TensorTable tensor(int i) throws TfliteFormatException {
        return new TensorTable(bb, tableElementPos(0, i), "Tensor " + i);
    }

    public int[] inputs() throws TfliteFormatException {
        return intVector(1);
    }

    public int[] outputs() throws TfliteFormatException {
        return intVector(2);
    }

    public int operatorCount() throws TfliteFormatException {
        return vectorLength(3, 4);
    }

    public OperatorTable operator(int i) throws TfliteFormatException {
        return new OperatorTable(bb, tableElementPos(3, i), "Operator " + i);
    }

    public String name() throws TfliteFormatException {
        return string(4);
    }
}

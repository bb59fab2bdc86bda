package k210studio.converter.tflite;

import k210studio.converter.tflite.schema.OperatorTable;

/**
 * One operator of a TFLite subgraph: its position, builtin code (the larger of the two code
 * fields), custom code name, tensor indices (−1 = omitted optional input) and its raw table for options.
 */
public record TfliteOp(int index, int code, String customCode, int version, int[] inputs, int[] outputs,
                       OperatorTable table) {

    /** "CONV_2D", or "CUSTOM(TFLite_Detection_PostProcess)" for custom operators. */
    public String name() {
        if (code == BuiltinOperator.CUSTOM) {
            return "CUSTOM(" + (customCode == null ? "?" : customCode) + ")";
        }
        return BuiltinOperator.name(code);
    }

    /** "op 3 (CONV_2D)" for messages. */
    public String label() {
        return "op " + index + " (" + name() + ")";
    }

    public int inputCount() {
        return inputs.length;
    }

    /** The tensor index at input port {@code i}, or −1 when the port is missing or omitted. */
    public int input(int i) {
        return i < inputs.length ? inputs[i] : -1;
    }
}

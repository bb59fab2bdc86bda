package k210studio.converter.tflite.ops;

import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;

/** Maps one family of TFLite operators to layers of the catalog (one class per family, as nncase does). */
public interface OpImporter {

    /** The builtin operator codes this importer handles. */
    int[] codes();

    /**
     * Adds the layers for one operator and binds its output tensor.
     *
     * @throws UnsupportedOpException when the operator's parameters cannot be expressed in the catalog
     * @throws TfliteFormatException  when its options table is corrupt
     */
    void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException;
}

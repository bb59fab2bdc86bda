package k210studio.kpu.kmodel.v3;

import java.util.List;

/**
 * Writes a {@link V3Model} to kmodel V3 bytes (kmodel-v3.md §2, §5.2).
 *
 * <p>Layout: the 28-byte header, the output table, the layer headers, then the bodies. Each body
 * is followed by zero bytes up to the next multiple of 8 of the absolute file offset (so every
 * body after the first starts 8-aligned; the first starts at 28 + 8·outputs + 8·layers ≡ 4 mod 8).
 * K210_CONV sub-blocks are placed as nncase v0.1.0-rc5 places them (layer argument 8-, weights and
 * BN 128-, activation 256-aligned, absolute). A body_size read from a file is kept when it is at
 * least the canonical size and ends 8-aligned; otherwise the canonical size is written.
 *
 * <p><b>Trailing-padding rule.</b> nncase rc5 moves the stream position instead of writing zeros,
 * so its files lack the 0..7 padding bytes after the last body (iris and yolo20 are 4 bytes short
 * of their declared end). The model records how many were missing
 * ({@link V3Model#missingTrailingBytes()}); {@link #write(V3Model)} omits exactly that many (never
 * more than the last body's padding), so read → write reproduces every file byte for byte. A model
 * built in code has 0 missing bytes , i.e. the padding is written and the file size equals the
 * declared end, which is what MaixPy's flash loader reads. {@link #writeFullyPadded} always writes it.
 */
public final class V3Writer {
    private V3Writer() {
    }

    /**
     * The bytes of the model, omitting the trailing padding bytes the model records as missing.
     *
     * @throws IllegalArgumentException when a u32 field of a model built in code is negative or above 2^32 - 1
     */
    public static byte[] write(V3Model model) {
        return write(model, model.missingTrailingBytes());
    }

    /** The bytes of the model with the last body's padding written out (file size = declared end). */
    public static byte[] writeFullyPadded(V3Model model) {
        return write(model, 0);
    }

    /**
     * u32 fields of the header must fit in 32 bits: a value built in code out of range would be
     * silently cut (the body declarations check their own fields as they are written).
     */
    static void checkFields(V3Model model) {
        check("header flags", model.flags());
        check("header max_start_address", model.maxStartAddress());
        check("header main_mem_usage", model.mainMemUsage());
        for (int i = 0; i < model.outputTable().size(); i++) {
            check("output[" + i + "].address", model.outputTable().get(i).address());
            check("output[" + i + "].size", model.outputTable().get(i).size());
        }
    }

    private static void check(String field, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(field + " = " + v + " does not fit the u32 field of a kmodel V3");
        }
    }

    private static byte[] write(V3Model model, int omit) {
        checkFields(model);
        LeBuffer o = new LeBuffer();
        List<V3Output> outputs = model.outputTable();
        List<V3Layer> layers = model.layers();
        o.u32(3);
        o.u32(model.flags());
        o.u32(0);
        o.u32(layers.size());
        o.u32(model.maxStartAddress());
        o.u32(model.mainMemUsage());
        o.u32(outputs.size());
        for (V3Output out : outputs) {
            o.u32(out.address());
            o.u32(out.size());
        }
        int headers = (int) o.position();
        for (int i = 0; i < layers.size(); i++) {
            o.u32(layers.get(i).type().code());
            o.u32(0);
        }
        long lastPadding = 0;
        for (int i = 0; i < layers.size(); i++) {
            V3Layer layer = layers.get(i);
            int start = (int) o.position();
            o.context("layer " + i + " (" + layer.type() + ") ");
            V3BodyLayouts.write(layer.body(), o, model.eightBitWeights());
            int contentEnd = (int) o.position();
            long end = LeBuffer.align(contentEnd, 8);
            long declared = start + layer.bodySize();
            if (layer.bodySize() > 0 && declared >= end && declared % 8 == 0) {
                end = declared;
            }
            o.zeroTo(end);
            o.patchU32(headers + 8 * i + 4, end - start);
            lastPadding = end - contentEnd;
        }
        int cut = (int) Math.min(Math.max(omit, 0), lastPadding);
        return o.toByteArray((int) o.position() - cut);
    }
}

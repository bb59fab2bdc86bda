package k210studio.converter.tflite.metadata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.schema.FbTable;

/**
 * Reads the {@code TFLITE_METADATA} flatbuffer. Field numbers follow {@code metadata_schema.fbs} (schema 1.x,
 * a union taking two fields): ModelMetadata 0 name, 1 description, 2 version, 3 subgraph_metadata, 4 author,
 * 5 license, 6 associated_files; SubGraphMetadata 2 input_tensor_metadata, 3 output_tensor_metadata,
 * 4 associated_files; TensorMetadata 0 name, 1 description, 3 content, 4 process_units, 5 stats,
 * 6 associated_files; Content 0/1 content_properties (union, 2 = ImageProperties: 0 color_space);
 * ProcessUnit 0/1 options (union, 1 = NormalizationOptions: 0 mean, 1 std); Stats 0 max, 1 min;
 * AssociatedFile 0 name, 1 description, 2 type, 3 locale. Every offset is bounds-checked.
 */
public final class MetadataReader {
    /** The flatbuffer's file identifier (bytes 4..8). */
    public static final String IDENTIFIER = "M001";
    private static final int PROCESS_NORMALIZATION = 1;
    private static final int CONTENT_IMAGE = 2;

    private MetadataReader() {
    }

    public static TfliteMetadata read(ByteBuffer buffer) throws TfliteFormatException {
        ByteBuffer bb = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (bb.limit() < 8) {
            throw new TfliteFormatException("the TFLITE_METADATA entry has only " + bb.limit() + " bytes, no metadata flatbuffer");
        }
        byte[] id = new byte[4];
        bb.duplicate().position(4).get(id);
        if (!IDENTIFIER.equals(new String(id, StandardCharsets.ISO_8859_1))) {
            throw new TfliteFormatException("the TFLITE_METADATA entry is not a metadata flatbuffer (no identifier \"" + IDENTIFIER + "\")");
        }
        try {
            Table model = new Table(bb, Integer.toUnsignedLong(bb.getInt(0)), "ModelMetadata");
            List<TfliteMetadata.TensorMetadata> inputs = List.of();
            List<TfliteMetadata.TensorMetadata> outputs = List.of();
            List<TfliteMetadata.AssociatedFile> files = new ArrayList<>(model.files(6));
            if (model.count(3) > 0) {
                Table sg = model.element(3, 0, "SubGraphMetadata 0");
                inputs = tensors(sg, 2, "input");
                outputs = tensors(sg, 3, "output");
                files.addAll(sg.files(4));
            }
            return new TfliteMetadata(model.text(0), model.text(1), inputs, outputs, files);
        } catch (RuntimeException e) {
            throw new TfliteFormatException("the TFLITE_METADATA flatbuffer is damaged: " + e.getMessage(), e);
        }
    }

    private static List<TfliteMetadata.TensorMetadata> tensors(Table sg, int field, String what) throws TfliteFormatException {
        List<TfliteMetadata.TensorMetadata> out = new ArrayList<>();
        for (int i = 0; i < sg.count(field); i++) {
            Table t = sg.element(field, i, what + " TensorMetadata " + i);
            float[] mean = new float[0];
            float[] std = new float[0];
            for (int u = 0; u < t.count(4); u++) {
                Table unit = t.element(4, u, "ProcessUnit " + u + " of " + what + " " + i);
                if (unit.ubyte(0) == PROCESS_NORMALIZATION && unit.present(1)) {
                    Table n = unit.child(1, "NormalizationOptions");
                    mean = n.floats(0);
                    std = n.floats(1);
                }
            }
            TfliteMetadata.ColorSpace cs = TfliteMetadata.ColorSpace.UNKNOWN;
            if (t.present(3)) {
                Table content = t.child(3, "Content");
                if (content.ubyte(0) == CONTENT_IMAGE && content.present(1)) {
                    cs = TfliteMetadata.ColorSpace.of(content.child(1, "ImageProperties").ubyte(0));
                }
            }
            float[] max = new float[0];
            float[] min = new float[0];
            if (t.present(5)) {
                Table stats = t.child(5, "Stats");
                max = stats.floats(0);
                min = stats.floats(1);
            }
            out.add(new TfliteMetadata.TensorMetadata(t.text(0), t.text(1), mean, std, cs, min, max, t.files(6)));
        }
        return out;
    }

    /** A metadata table with the typed reads the reader needs. */
    private static final class Table extends FbTable {
        Table(ByteBuffer bb, long pos, String what) throws TfliteFormatException {
            super(bb, checked(bb, pos, what), "TFLITE_METADATA " + what);
        }

        private static int checked(ByteBuffer bb, long pos, String what) throws TfliteFormatException {
            if (pos < 0 || pos + 4 > bb.limit()) {
                throw new TfliteFormatException("the TFLITE_METADATA " + what + " lies outside its " + bb.limit() + "-byte buffer");
            }
            return (int) pos;
        }

        String text(int field) throws TfliteFormatException {
            String s = string(field);
            return s == null ? "" : s;
        }

        int ubyte(int field) throws TfliteFormatException {
            return getUByte(field, 0);
        }

        boolean present(int field) {
            return has(field);
        }

        int count(int field) throws TfliteFormatException {
            return vectorLength(field, 4);
        }

        float[] floats(int field) throws TfliteFormatException {
            return floatVector(field);
        }

        Table element(int field, int i, String what) throws TfliteFormatException {
            return new Table(bb, tableElementPos(field, i), what);
        }

        Table child(int field, String what) throws TfliteFormatException {
            return new Table(bb, tablePos(field), what);
        }

        List<TfliteMetadata.AssociatedFile> files(int field) throws TfliteFormatException {
            List<TfliteMetadata.AssociatedFile> out = new ArrayList<>();
            for (int i = 0; i < count(field); i++) {
                Table f = element(field, i, "AssociatedFile " + i);
                out.add(new TfliteMetadata.AssociatedFile(f.text(0), f.text(1), TfliteMetadata.FileType.of(f.getByte(2, 0)), f.text(3)));
            }
            return out;
        }
    }
}

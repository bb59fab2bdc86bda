package k210studio.converter.tflite.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * The root table of a TFLite file (schema table {@code Model}): version, operator codes,
 * subgraphs, description, buffers. Fields: 0 version, 1 operator_codes, 2 subgraphs,
 * 3 description, 4 buffers, 5 metadata_buffer, 6 metadata, 7 signature_defs.
 */
public final class ModelTable extends FbTable {
    public static final String IDENTIFIER = "TFL3";

    private ModelTable(ByteBuffer bb, int pos) throws TfliteFormatException {
        super(bb, pos, "Model");
    }

    /** Opens a whole file; checks its size, root offset and the "TFL3" identifier. */
    public static ModelTable read(ByteBuffer file) throws TfliteFormatException {
        ByteBuffer bb = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        bb.position(0);
        if (bb.limit() < 8) {
            throw new TfliteFormatException("not a TFLite model: the file has only " + bb.limit()
                    + " bytes (a .tflite file starts with a root offset and the identifier \"TFL3\")");
        }
        byte[] id = new byte[4];
        bb.duplicate().position(4).get(id);
        String ident = new String(id, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!IDENTIFIER.equals(ident)) {
            throw new TfliteFormatException("not a TFLite model: bytes 4..8 are \"" + printable(ident)
                    + "\" instead of the identifier \"TFL3\" (is this a .kmodel, .h5 or another flatbuffer? "
                    + "convert the model with the TFLite converter)");
        }
        long root = Integer.toUnsignedLong(bb.getInt(0));
        if (root < 8 || root + 4 > bb.limit()) {
            throw new TfliteFormatException("corrupt TFLite file: the root table offset " + root
                    + " lies outside the " + bb.limit() + "-byte file (the file is truncated or damaged)");
        }
        return new ModelTable(bb, (int) root);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    public long version() throws TfliteFormatException {
        return getUInt(0, 0);
    }

    public int operatorCodeCount() throws TfliteFormatException {
        return vectorLength(1, 4);
    }

    public OperatorCodeTable operatorCode(int i) throws TfliteFormatException {
        return new OperatorCodeTable(bb, tableElementPos(1, i), "OperatorCode " + i);
    }

    public int subgraphCount() throws TfliteFormatException {
        return vectorLength(2, 4);
    }

    public SubGraphTable subgraph(int i) throws TfliteFormatException {
        return new SubGraphTable(bb, tableElementPos(2, i), "SubGraph " + i);
    }

    public String description() throws TfliteFormatException {
        return string(3);
    }

    public int bufferCount() throws TfliteFormatException {
        return vectorLength(4, 4);
    }

    public BufferTable buffer(int i) throws TfliteFormatException {
        return new BufferTable(bb, tableElementPos(4, i), "Buffer " + i);
    }

    /** One entry of the model's metadata list (table Metadata: 0 name, 1 buffer index). */
    public record MetadataEntry(String name, long buffer) {
    }

    /** The metadata entries (field 6), e.g. "TFLITE_METADATA" or "CONVERSION_METADATA" with the buffer holding each. */
    public java.util.List<MetadataEntry> metadata() throws TfliteFormatException {
        int n = vectorLength(6, 4);
        java.util.List<MetadataEntry> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            MetadataTable m = new MetadataTable(bb, tableElementPos(6, i), "Metadata " + i);
            out.add(new MetadataEntry(m.name(), m.buffer()));
        }
        return out;
    }

    /** Names of the metadata entries. */
    public java.util.List<String> metadataNames() throws TfliteFormatException {
        return metadata().stream().map(MetadataEntry::name).toList();
    }

    private static final class MetadataTable extends FbTable {
        MetadataTable(ByteBuffer bb, int pos, String what) throws TfliteFormatException {
            super(bb, pos, what);
        }

        String name() throws TfliteFormatException {
            String s = string(0);
            return s == null ? "" : s;
        }

        long buffer() throws TfliteFormatException {
            return getUInt(1, 0);
        }
    }
}

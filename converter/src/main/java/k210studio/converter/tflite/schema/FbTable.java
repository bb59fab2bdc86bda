package k210studio.converter.tflite.schema;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import k210studio.converter.tflite.TfliteFormatException;

/**
 * A flatbuffer table with bounds-checked typed reads. Field {@code i} of a table (counting in
 * schema declaration order, a union taking two fields: its type then its value) lives in vtable
 * slot {@code 4 + 2·i}. Every offset read from the file is checked against the buffer before it
 * is followed, so a corrupt file gives a {@link TfliteFormatException} naming the table, never an
 * {@link IndexOutOfBoundsException}.
 */
public abstract class FbTable extends Table {
    /** What this table is, for messages ("Tensor 12 of subgraph 0"). */
    protected final String what;

    protected FbTable(ByteBuffer buf, int pos, String what) throws TfliteFormatException {
        this.what = what;
        int limit = buf.limit();
        if (pos < 0 || (long) pos + 4 > limit) {
            throw corrupt(what, "table offset " + pos + " lies outside the " + limit + "-byte file");
        }
        long vt = (long) pos - buf.getInt(pos);
        if (vt < 0 || vt + 4 > limit) {
            throw corrupt(what, "vtable offset " + vt + " lies outside the file");
        }
        int vsize = Short.toUnsignedInt(buf.getShort((int) vt));
        int tsize = Short.toUnsignedInt(buf.getShort((int) vt + 2));
        if (vsize < 4 || (vsize & 1) != 0 || vt + vsize > limit) {
            throw corrupt(what, "vtable size " + vsize + " is invalid");
        }
        if ((long) pos + tsize > limit) {
            throw corrupt(what, "table of " + tsize + " bytes runs past the end of the file");
        }
        __reset(pos, buf);
    }

    static TfliteFormatException corrupt(String what, String detail) {
        return new TfliteFormatException("corrupt TFLite file: " + what + ": " + detail
                + " (the file is damaged or not a .tflite model; re-export it from TensorFlow)");
    }

    protected TfliteFormatException corrupt(String detail) {
        return corrupt(what, detail);
    }

    /** Absolute position of a scalar field of {@code size} bytes, or −1 when the field is absent. */
    protected final int fieldPos(int field, int size) throws TfliteFormatException {
        int o = __offset(4 + 2 * field);
        if (o == 0) {
            return -1;
        }
        long p = (long) bb_pos + o;
        if (p + size > bb.limit()) {
            throw corrupt("field " + field + " lies outside the file");
        }
        return (int) p;
    }

    protected final boolean has(int field) {
        return __offset(4 + 2 * field) != 0;
    }

    protected final int getByte(int field, int dflt) throws TfliteFormatException {
        int p = fieldPos(field, 1);
        return p < 0 ? dflt : bb.get(p);
    }

    protected final int getUByte(int field, int dflt) throws TfliteFormatException {
        int p = fieldPos(field, 1);
        return p < 0 ? dflt : Byte.toUnsignedInt(bb.get(p));
    }

    protected final boolean getBool(int field, boolean dflt) throws TfliteFormatException {
        int p = fieldPos(field, 1);
        return p < 0 ? dflt : bb.get(p) != 0;
    }

    protected final int getInt(int field, int dflt) throws TfliteFormatException {
        int p = fieldPos(field, 4);
        return p < 0 ? dflt : bb.getInt(p);
    }

    protected final long getUInt(int field, long dflt) throws TfliteFormatException {
        int p = fieldPos(field, 4);
        return p < 0 ? dflt : Integer.toUnsignedLong(bb.getInt(p));
    }

    protected final long getLong(int field, long dflt) throws TfliteFormatException {
        int p = fieldPos(field, 8);
        return p < 0 ? dflt : bb.getLong(p);
    }

    protected final float getFloat(int field, float dflt) throws TfliteFormatException {
        int p = fieldPos(field, 4);
        return p < 0 ? dflt : bb.getFloat(p);
    }

    /** Absolute position of the object an offset field points to, or −1 when absent. */
    protected final int refTarget(int field) throws TfliteFormatException {
        int p = fieldPos(field, 4);
        if (p < 0) {
            return -1;
        }
        return follow(p, "field " + field);
    }

    private int follow(int p, String name) throws TfliteFormatException {
        long t = (long) p + Integer.toUnsignedLong(bb.getInt(p));
        if (t + 4 > bb.limit()) {
            throw corrupt(name + " points outside the file");
        }
        return (int) t;
    }

    /** Number of elements of a vector field (0 when absent), checked to fit the file. */
    protected final int vectorLength(int field, int elemSize) throws TfliteFormatException {
        int t = refTarget(field);
        if (t < 0) {
            return 0;
        }
        return checkedLength(t, elemSize, "vector field " + field);
    }

    private int checkedLength(int t, int elemSize, String name) throws TfliteFormatException {
        long len = Integer.toUnsignedLong(bb.getInt(t));
        if ((long) t + 4 + len * elemSize > bb.limit()) {
            throw corrupt(name + " claims " + len + " elements, more than the file holds");
        }
        return (int) len;
    }

    /** Absolute position of the first element of a vector field, or −1 when absent. */
    protected final int vectorStart(int field) throws TfliteFormatException {
        int t = refTarget(field);
        return t < 0 ? -1 : t + 4;
    }

    protected final int[] intVector(int field) throws TfliteFormatException {
        int n = vectorLength(field, 4);
        int[] out = new int[n];
        if (n > 0) {
            int s = vectorStart(field);
            for (int i = 0; i < n; i++) {
                out[i] = bb.getInt(s + 4 * i);
            }
        }
        return out;
    }

    protected final long[] longVector(int field) throws TfliteFormatException {
        int n = vectorLength(field, 8);
        long[] out = new long[n];
        if (n > 0) {
            int s = vectorStart(field);
            for (int i = 0; i < n; i++) {
                out[i] = bb.getLong(s + 8 * i);
            }
        }
        return out;
    }

    protected final float[] floatVector(int field) throws TfliteFormatException {
        int n = vectorLength(field, 4);
        float[] out = new float[n];
        if (n > 0) {
            int s = vectorStart(field);
            for (int i = 0; i < n; i++) {
                out[i] = bb.getFloat(s + 4 * i);
            }
        }
        return out;
    }

    /** A byte vector as a read-only little-endian slice (empty when absent). */
    protected final ByteBuffer byteVector(int field) throws TfliteFormatException {
        int n = vectorLength(field, 1);
        if (n == 0) {
            return ByteBuffer.allocate(0);
        }
        return slice(vectorStart(field), n);
    }

    protected final ByteBuffer slice(int start, int length) {
        ByteBuffer d = bb.duplicate();
        d.limit(start + length).position(start);
        return d.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    protected final String string(int field) throws TfliteFormatException {
        int t = refTarget(field);
        if (t < 0) {
            return null;
        }
        int n = checkedLength(t, 1, "string field " + field);
        byte[] b = new byte[n];
        bb.duplicate().position(t + 4).get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Absolute position of a sub-table, or −1 when absent. */
    protected final int tablePos(int field) throws TfliteFormatException {
        return refTarget(field);
    }

    /** Absolute position of element {@code i} of a vector of tables. */
    protected final int tableElementPos(int field, int i) throws TfliteFormatException {
        int n = vectorLength(field, 4);
        if (i < 0 || i >= n) {
            throw corrupt("index " + i + " outside a table vector of " + n);
        }
        return follow(vectorStart(field) + 4 * i, "element " + i + " of field " + field);
    }

    /** The whole file this table was read from. */
    public ByteBuffer fileBuffer() {
        return bb;
    }
}

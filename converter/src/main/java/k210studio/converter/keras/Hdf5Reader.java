package k210studio.converter.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Guarded access to an HDF5 file held in memory (jhdf). Every read that can meet corrupt or
 * truncated bytes turns whatever the HDF5 library throws into a {@link KerasImportException}
 * that names what was being read, and no array is allocated from a size the file declares
 * before that size has been checked against what the architecture expects and the file's length.
 */
final class Hdf5Reader implements AutoCloseable {
    /** The 8-byte HDF5 signature. */
    static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** No single weight tensor may be larger than this (4 GiB of float32 is far beyond any K210 model). */
    static final long MAX_TENSOR_ELEMENTS = 1L << 28;

    static {
        quietLogging();
    }

    /**
     * jhdf logs through SLF4J; with no logging backend on the class path SLF4J prints a three-line
     * warning to stderr on first use, which would end up in every CLI run that touches a Keras file.
     * Call before jhdf's first use (unless the user chose a verbosity).
     */
    static void quietLogging() {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    private final HdfFile file;
    private final String what;
    private final long fileLength;

    private Hdf5Reader(HdfFile file, String what, long fileLength) {
        this.file = file;
        this.what = what;
        this.fileLength = fileLength;
    }

    static boolean isHdf5(byte[] bytes) {
        return bytes.length >= SIGNATURE.length && Arrays.equals(Arrays.copyOf(bytes, SIGNATURE.length), SIGNATURE);
    }

    /**
     * Opens HDF5 bytes.
     *
     * @param what how the file is called in messages, e.g. "model.h5" or "model.weights.h5 inside model.keras"
     */
    static Hdf5Reader open(byte[] bytes, String what) throws KerasImportException {
        if (!isHdf5(bytes)) {
            throw new KerasImportException(what + " is not an HDF5 file (it does not start with the HDF5 signature)");
        }
        long eof = declaredEndOfFile(bytes);
        if (eof > bytes.length) {
            throw new KerasImportException(what + " is truncated: its HDF5 header says the file is " + eof + " bytes long, but only "
                    + bytes.length + " bytes are there. Copy or download the file again, or save the model again.");
        }
        try {
            HdfFile f = HdfFile.fromBytes(bytes);
            f.getChildren(); // forces the root group to be read, so a broken superblock fails here
            return new Hdf5Reader(f, what, bytes.length);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "opening the file", e);
        }
    }

    /**
     * The end-of-file address the superblock declares (base address + EOF address), or −1 when the
     * superblock cannot be read. Superblock versions 0/1 keep it after the B-tree constants, 2/3
     * right after the base and extension addresses.
     */
    static long declaredEndOfFile(byte[] b) {
        if (b.length < 12) {
            return -1;
        }
        int version = b[8] & 0xff;
        int offsetSize;
        int at;
        if (version == 0 || version == 1) {
            if (b.length < 16) {
                return -1;
            }
            offsetSize = b[13] & 0xff;
            at = version == 0 ? 24 : 28; // base address
        } else if (version == 2 || version == 3) {
            offsetSize = b[9] & 0xff;
            at = 12;
        } else {
            return -1;
        }
        if (offsetSize != 2 && offsetSize != 4 && offsetSize != 8) {
            return -1;
        }
        long base = readLe(b, at, offsetSize);
        int eofAt = (version <= 1) ? at + 2 * offsetSize : at + 2 * offsetSize;
        long eof = readLe(b, eofAt, offsetSize);
        if (base < 0 || eof < 0) {
            return -1;
        }
        return base + eof;
    }

    private static long readLe(byte[] b, int at, int size) {
        if (at + size > b.length) {
            return -1;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v < 0 ? -1 : v;
    }

    HdfFile file() {
        return file;
    }

    String what() {
        return what;
    }

    /** The child group at a '/'-separated path below the root, or null when there is none. */
    Group groupOrNull(String path) throws KerasImportException {
        return groupOrNull(file, path);
    }

    /** The child group at a '/'-separated path below {@code base}, or null when there is none (or it is not a group). */
    Group groupOrNull(Group base, String path) throws KerasImportException {
        try {
            Group g = base;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                Node n = g.getChildren().get(part);
                if (!(n instanceof Group child)) {
                    return null;
                }
                g = child;
            }
            return g;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading group '" + path + "'", e);
        }
    }

    /** The dataset at a '/'-separated path below {@code base}, or null. */
    Dataset datasetOrNull(Group base, String path) throws KerasImportException {
        try {
            Group g = base;
            String[] parts = path.split("/");
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty()) {
                    continue;
                }
                Node n = g.getChildren().get(parts[i]);
                if (i == parts.length - 1) {
                    return n instanceof Dataset d ? d : null;
                }
                if (!(n instanceof Group child)) {
                    return null;
                }
                g = child;
            }
            return null;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading dataset '" + path + "'", e);
        }
    }

    /** Names of the children of a group, in the file's order. */
    List<String> childNames(Group g) throws KerasImportException {
        try {
            return new ArrayList<>(g.getChildren().keySet());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "listing group '" + g.getPath() + "'", e);
        }
    }

    /** A text attribute (variable- or fixed-length string, or bytes), or null when absent. */
    String stringAttribute(Node node, String name) throws KerasImportException {
        try {
            Attribute a = node.getAttributes().get(name);
            if (a == null) {
                return null;
            }
            Object data = a.getData();
            if (data == null) {
                return null;
            }
            if (data instanceof String s) {
                return s;
            }
            if (data instanceof byte[] b) {
                return new String(b, StandardCharsets.UTF_8);
            }
            if (data.getClass().isArray() && Array.getLength(data) == 1 && Array.get(data, 0) instanceof String s) {
                return s;
            }
            throw new KerasImportException("attribute '" + name + "' of " + what + " is not text (it holds "
                    + data.getClass().getSimpleName() + "); the file is not a Keras model or is corrupt");
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading attribute '" + name + "'", e);
        }
    }

    /** A list-of-strings attribute ({@code layer_names}, {@code weight_names}); empty when absent or empty. */
    List<String> stringListAttribute(Node node, String name) throws KerasImportException {
        try {
            Attribute a = node.getAttributes().get(name);
            if (a == null) {
                return List.of();
            }
            Object data = a.getData();
            List<String> out = new ArrayList<>();
            collectStrings(data, out, name);
            return out;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading attribute '" + name + "'", e);
        }
    }

    private void collectStrings(Object data, List<String> out, String name) {
        if (data == null) {
            return;
        }
        if (data instanceof String s) {
            out.add(s);
        } else if (data instanceof byte[] b) {
            out.add(new String(b, StandardCharsets.UTF_8));
        } else if (data.getClass().isArray()) {
            int n = Array.getLength(data);
            for (int i = 0; i < n; i++) {
                collectStrings(Array.get(data, i), out, name);
            }
        } else {
            throw new IllegalStateException("attribute '" + name + "' holds " + data.getClass().getSimpleName() + ", not text");
        }
    }

    /** The dimensions of a dataset (empty for a scalar). */
    int[] dimensions(Dataset ds) throws KerasImportException {
        try {
            return ds.isScalar() ? new int[0] : ds.getDimensions().clone();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading the shape of '" + ds.getPath() + "'", e);
        }
    }

    /**
     * Reads a numeric dataset as float32, row-major. The caller has already checked its dimensions
     * against the architecture; here the element count is checked against hard limits before any
     * array is allocated.
     */
    float[] floats(Dataset ds, String forWhat) throws KerasImportException {
        try {
            int[] dims = dimensions(ds);
            long n = 1;
            for (int d : dims) {
                if (d < 0) {
                    throw new KerasImportException(forWhat + ": dataset '" + ds.getPath() + "' in " + what
                            + " declares a negative dimension; the file is corrupt");
                }
                n *= d;
                if (n > MAX_TENSOR_ELEMENTS) {
                    break;
                }
            }
            boolean filtered = !ds.getFilters().isEmpty();
            long limit = Math.min(MAX_TENSOR_ELEMENTS, filtered ? fileLength * 1100L / 4 + 1024 : fileLength / 4 + 1);
            if (n > limit) {
                throw new KerasImportException(forWhat + ": dataset '" + ds.getPath() + "' in " + what + " declares "
                        + Arrays.toString(dims) + " values, more than a file of " + fileLength
                        + " bytes can hold; the file is corrupt or truncated");
            }
            Class<?> type = ds.getJavaType();
            if (type == null || !(type.isPrimitive() || Number.class.isAssignableFrom(type))) {
                throw new KerasImportException(forWhat + ": dataset '" + ds.getPath() + "' in " + what
                        + " is not numeric (" + (type == null ? "unknown type" : type.getSimpleName()) + ")");
            }
            Object data = ds.getDataFlat();
            float[] out = toFloats(data);
            if (out == null || out.length != n) {
                throw new KerasImportException(forWhat + ": dataset '" + ds.getPath() + "' in " + what + " holds "
                        + (out == null ? "no numbers" : out.length + " numbers") + " where its shape "
                        + Arrays.toString(dims) + " says " + n + "; the file is corrupt");
            }
            return out;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw corrupt(what, "reading '" + ds.getPath() + "' (" + forWhat + ")", e);
        }
    }

    private static float[] toFloats(Object data) {
        if (data instanceof float[] f) {
            return f;
        }
        if (data instanceof double[] d) {
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        if (data instanceof Number num) {
            return new float[] {num.floatValue()};
        }
        if (data != null && data.getClass().isArray() && data.getClass().getComponentType().isPrimitive()) {
            int n = Array.getLength(data);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                Object v = Array.get(data, i);
                if (!(v instanceof Number num)) {
                    return null;
                }
                out[i] = num.floatValue();
            }
            return out;
        }
        return null;
    }

    static KerasImportException corrupt(String what, String doing, Throwable e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (detail.length() > 200) {
            detail = detail.substring(0, 200) + "…";
        }
        if (e instanceof OutOfMemoryError) {
            detail = "it declares a block larger than memory";
        } else if (e instanceof StackOverflowError) {
            detail = "its structure loops back on itself";
        }
        return new KerasImportException(what + " is corrupt or truncated: HDF5 error while " + doing + " (" + detail
                + "). Save the model again, or copy the file again if it was cut short.", e);
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (RuntimeException ignored) {
            // an in-memory file has nothing to release that matters
        }
    }
}

package k210studio.converter.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import k210studio.converter.tflite.schema.BufferTable;
import k210studio.converter.tflite.schema.ModelTable;
import k210studio.converter.tflite.schema.OperatorCodeTable;
import k210studio.converter.tflite.schema.OperatorTable;
import k210studio.converter.tflite.schema.QuantizationTable;
import k210studio.converter.tflite.schema.SubGraphTable;
import k210studio.converter.tflite.schema.TensorTable;

/**
 * A TFLite file read and validated: the main subgraph's tensors (with constant data resolved
 * from inline or external buffers) and operators in execution order. Every index and size in
 * the file is checked here, so later stages can trust them.
 */
public final class TfliteModelFile {
    /** Files larger than this are refused (TFLite itself caps flatbuffers at 2 GB). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private final long version;
    private final String description;
    private final int subgraphCount;
    private final String subgraphName;
    private final List<TfliteTensor> tensors;
    private final List<TfliteOp> operators;
    private final int[] inputs;
    private final int[] outputs;
    private final List<String> metadata;
    private final java.util.Map<String, ByteBuffer> metadataBuffers;
    private final ByteBuffer file;

    private TfliteModelFile(long version, String description, int subgraphCount, String subgraphName,
                            List<TfliteTensor> tensors, List<TfliteOp> operators, int[] inputs, int[] outputs,
                            List<String> metadata, java.util.Map<String, ByteBuffer> metadataBuffers, ByteBuffer file) {
        this.version = version;
        this.description = description;
        this.subgraphCount = subgraphCount;
        this.subgraphName = subgraphName;
        this.tensors = tensors;
        this.operators = operators;
        this.inputs = inputs;
        this.outputs = outputs;
        this.metadata = metadata;
        this.metadataBuffers = metadataBuffers;
        this.file = file;
    }

    public static TfliteModelFile read(Path file) throws IOException, TfliteFormatException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new TfliteFormatException("the file " + file.getFileName() + " has " + size
                    + " bytes, more than a TFLite flatbuffer can hold (2 GB)");
        }
        return read(Files.readAllBytes(file));
    }

    public static TfliteModelFile read(byte[] bytes) throws TfliteFormatException {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            return parse(bb);
        } catch (TfliteFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // a safety net: the table views check every offset, so this means a check is missing
            throw new TfliteFormatException("corrupt TFLite file: " + e + " while reading the model structure", e);
        }
    }

    private static TfliteFormatException bad(String msg) {
        return new TfliteFormatException("corrupt TFLite file: " + msg);
    }

    private static TfliteModelFile parse(ByteBuffer bb) throws TfliteFormatException {
        ModelTable model = ModelTable.read(bb);
        long version = model.version();
        int nSub = model.subgraphCount();
        if (nSub == 0) {
            throw new TfliteFormatException("the TFLite model has no subgraph (nothing to import)");
        }
        SubGraphTable sg = model.subgraph(0);
        int nBuffers = model.bufferCount();
        int nCodes = model.operatorCodeCount();
        int[] codes = new int[nCodes];
        String[] customCodes = new String[nCodes];
        int[] codeVersions = new int[nCodes];
        for (int i = 0; i < nCodes; i++) {
            OperatorCodeTable oc = model.operatorCode(i);
            codes[i] = oc.builtinCode();
            customCodes[i] = oc.customCode();
            codeVersions[i] = oc.version();
        }
        int nTensors = sg.tensorCount();
        List<TfliteTensor> tensors = new ArrayList<>(nTensors);
        for (int i = 0; i < nTensors; i++) {
            tensors.add(readTensor(model, sg.tensor(i), i, nBuffers));
        }
        int[] inputs = checkIndices(sg.inputs(), nTensors, "subgraph input", false);
        int[] outputs = checkIndices(sg.outputs(), nTensors, "subgraph output", false);
        int nOps = sg.operatorCount();
        List<TfliteOp> ops = new ArrayList<>(nOps);
        for (int i = 0; i < nOps; i++) {
            OperatorTable op = sg.operator(i);
            long ci = op.opcodeIndex();
            if (ci >= nCodes) {
                throw bad("operator " + i + " uses operator code " + ci + " but the model lists only " + nCodes);
            }
            int c = (int) ci;
            ops.add(new TfliteOp(i, codes[c], customCodes[c], codeVersions[c],
                    checkIndices(op.inputs(), nTensors, "input of operator " + i, true),
                    checkIndices(op.outputs(), nTensors, "output of operator " + i, false), op));
        }
        java.util.Map<String, ByteBuffer> meta = new java.util.LinkedHashMap<>();
        for (ModelTable.MetadataEntry m : model.metadata()) {
            // metadata is optional: an entry pointing at no buffer is left out instead of refusing the model
            if (m.buffer() < nBuffers) {
                meta.putIfAbsent(m.name(), model.buffer((int) m.buffer()).data());
            }
        }
        String desc = model.description();
        return new TfliteModelFile(version, desc == null ? "" : desc, nSub, sg.name(), Collections.unmodifiableList(tensors),
                Collections.unmodifiableList(ops), inputs, outputs, List.copyOf(meta.keySet()), Collections.unmodifiableMap(meta),
                bb.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Tensor indices must name a tensor; −1 (an omitted optional input) only where {@code optional}. */
    private static int[] checkIndices(int[] idx, int n, String what, boolean optional) throws TfliteFormatException {
        for (int i : idx) {
            if (i < (optional ? -1 : 0) || i >= n) {
                throw bad(what + " refers to tensor " + i + " but the subgraph has " + n + " tensors");
            }
        }
        return idx;
    }

    private static TfliteTensor readTensor(ModelTable model, TensorTable t, int index, int nBuffers)
            throws TfliteFormatException {
        String name = t.name();
        int[] shape = t.shape();
        long elements = 1;
        for (int d : shape) {
            if (d < 0) {
                throw bad("tensor " + index + " '" + name + "' has a negative dimension in its shape "
                        + java.util.Arrays.toString(shape));
            }
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw bad("tensor " + index + " '" + name + "' has more than 2^31 elements "
                        + java.util.Arrays.toString(shape));
            }
        }
        int[] sig = t.shapeSignature();
        if (sig.length != shape.length) {
            sig = shape.clone();
        }
        TensorType type = TensorType.fromCode(t.type());
        long bi = t.buffer();
        if (bi >= nBuffers && !(bi == 0 && nBuffers == 0)) {
            throw bad("tensor " + index + " '" + name + "' uses buffer " + bi + " but the model has " + nBuffers);
        }
        ByteBuffer data = null;
        boolean sparse = t.isSparse();
        if (bi > 0 && !sparse) {
            BufferTable b = model.buffer((int) bi);
            ByteBuffer d = b.data();
            if (d.remaining() > 0) {
                if (type.bytes() > 0 && d.remaining() != elements * type.bytes()) {
                    throw bad("tensor " + index + " '" + name + "' (" + type + " " + java.util.Arrays.toString(shape)
                            + ") needs " + elements * type.bytes() + " bytes of data but its buffer has " + d.remaining());
                }
                data = d;
            }
        }
        QuantParams q = null;
        QuantizationTable qt = t.quantization();
        if (qt != null) {
            float[] scale = qt.scale();
            long[] zp = qt.zeroPoint();
            if (scale.length > 0) {
                if (zp.length > 1 && zp.length != scale.length) {
                    throw bad("tensor " + index + " '" + name + "' has " + scale.length + " scales but "
                            + zp.length + " zero points");
                }
                int axis = qt.quantizedDimension();
                if (scale.length > 1) {
                    // person_detect's 1-D bias tensors declare quantized_dimension 3: read along the only axis
                    if (shape.length == 1) {
                        axis = 0;
                    }
                    if (axis < 0 || axis >= shape.length || shape[axis] != scale.length) {
                        throw bad("tensor " + index + " '" + name + "' has " + scale.length
                                + " per-channel scales on axis " + axis + " of shape " + java.util.Arrays.toString(shape));
                    }
                }
                q = new QuantParams(scale, zp, axis);
            }
        }
        return new TfliteTensor(index, name, type, shape, sig, data, q, sparse);
    }

    public long version() {
        return version;
    }

    public String description() {
        return description;
    }

    public int subgraphCount() {
        return subgraphCount;
    }

    public String subgraphName() {
        return subgraphName;
    }

    public List<TfliteTensor> tensors() {
        return tensors;
    }

    public TfliteTensor tensor(int i) {
        return tensors.get(i);
    }

    public List<TfliteOp> operators() {
        return operators;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public List<String> metadataNames() {
        return metadata;
    }

    /** The bytes of a metadata entry ("TFLITE_METADATA": the model's metadata flatbuffer), or null when the file has none. */
    public ByteBuffer metadataBuffer(String name) {
        ByteBuffer b = metadataBuffers.get(name);
        return b == null ? null : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The whole file, read-only (the metadata's associated files are a ZIP archive appended to the flatbuffer). */
    public ByteBuffer fileBytes() {
        return file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}

package k210studio.ir.project;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.project.ProjectDocument.GraphDoc;
import k210studio.ir.project.ProjectDocument.LayerDoc;
import k210studio.ir.project.ProjectDocument.WeightDoc;
import k210studio.ir.tensor.Tensor;

/**
 * Reads and writes {@code .k210proj} files: a ZIP container with {@code project.json} (structure,
 * settings and the weights index, see {@link ProjectDocument}) and {@code weights.bin} (every weight
 * tensor as little-endian float32, one after the other).
 *
 * <p>Saving is atomic: the bytes go to a temporary file in the target's folder, are flushed to disk,
 * and the temporary file is renamed over the target, so a crash leaves either the old or the new file.
 * Loading checks everything it reads and fails with a {@link ProjectFileException} whose message names
 * the problem and the fix (never a bare parser exception), and never allocates more than the file holds.
 */
public final class ProjectFile {
    /** File name extension of project files, with the dot. */
    public static final String EXTENSION = ".k210proj";
    /** The format version this code writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    static final String PROJECT_JSON = "project.json";
    static final String WEIGHTS_BIN = "weights.bin";
    static final long MAX_JSON_BYTES = 64L << 20;
    static final long MAX_WEIGHTS_BYTES = 512L << 20;
    /** Entry time stamp, fixed so that saving the same project twice gives the same bytes. */
    private static final long ENTRY_TIME = 1577836800000L;
    private static final byte[] ZIP_LOCAL = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // records such as ZeroPadding2D have derived isXxx() helpers that are not state
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final ObjectReader PARAMS_READER = MAPPER.readerFor(LayerParams.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ProjectFile() {
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves atomically: writes {@code file}'s new content to a temporary file beside it, forces it to
     * disk and renames it over {@code file}.
     */
    public static void save(Project project, Path file) throws ProjectFileException {
        byte[] bytes = toBytes(project);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ProjectFileException("Cannot save " + file + ": the folder " + dir + " does not exist. Choose an existing folder.");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            keepPermissions(abs, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (AccessDeniedException e) {
            throw new ProjectFileException("Cannot save " + file + ": permission denied for " + e.getFile()
                    + ". Choose a folder you can write to, or check the file is not read-only.", e);
        } catch (IOException e) {
            throw new ProjectFileException("Cannot save " + file + ": " + e + ". Check that the disk is not full and the folder is writable; the previous file (if any) is unchanged.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    /** The complete {@code .k210proj} content of a project. */
    public static byte[] toBytes(Project project) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(project, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes the {@code .k210proj} content to a stream (the stream is not closed). */
    public static void write(Project project, OutputStream out) throws IOException {
        Graph g = project.graph();
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        List<WeightDoc> index = new ArrayList<>();
        List<LayerDoc> layers = new ArrayList<>();
        long offset = 0;
        for (Layer l : g.layers()) {
            for (Map.Entry<String, Tensor> e : l.weights().entrySet()) {
                byte[] b = floatsLE(e.getValue().data());
                weights.write(b);
                index.add(new WeightDoc(l.id(), e.getKey(), e.getValue().shape(), offset, (long) b.length));
                offset += b.length;
            }
            JsonNode params = MAPPER.readTree(MAPPER.writerFor(LayerParams.class).writeValueAsBytes(l.params()));
            layers.add(new LayerDoc(l.id(), l.name(), params, g.inputsOf(l.id()), g.position(l.id()), l.notes()));
        }
        ProjectDocument doc = new ProjectDocument(FORMAT_VERSION, "K210 Studio", project.settings(),
                new GraphDoc(g.name(), layers, g.explicitOutputs()), index);
        byte[] json = MAPPER.writeValueAsBytes(doc);
        byte[] blob = weights.toByteArray();

        ZipOutputStream zip = new ZipOutputStream(out);
        ZipEntry je = new ZipEntry(PROJECT_JSON);
        je.setTime(ENTRY_TIME);
        zip.putNextEntry(je);
        zip.write(json);
        zip.closeEntry();
        ZipEntry we = new ZipEntry(WEIGHTS_BIN);
        we.setTime(ENTRY_TIME);
        we.setMethod(ZipEntry.STORED);
        we.setSize(blob.length);
        we.setCompressedSize(blob.length);
        CRC32 crc = new CRC32();
        crc.update(blob);
        we.setCrc(crc.getValue());
        zip.putNextEntry(we);
        zip.write(blob);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    // ------------------------------------------------------------------ loading

    /** Loads a project file; every problem becomes a {@link ProjectFileException} that says what is wrong and how to fix it. */
    public static Project load(Path file) throws ProjectFileException {
        String src = String.valueOf(file.getFileName());
        if (!Files.exists(file)) {
            throw fail(src, "the file " + file.toAbsolutePath() + " does not exist", "Check the path.");
        }
        if (Files.isDirectory(file)) {
            throw fail(src, "it is a folder, not a file", "Choose a " + EXTENSION + " file.");
        }
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
            size = Files.size(file);
        } catch (IOException e) {
            throw fail(src, "it cannot be read (" + e + ")", "Check that the file is readable.");
        }
        if (size == 0) {
            throw fail(src, "the file is empty (0 bytes)", "It was probably cut off while being saved or copied; restore it from a backup.");
        }
        if (Arrays.equals(head, ZIP_EMPTY)) {
            throw fail(src, "it is an empty ZIP archive, without project.json", "Open a " + EXTENSION + " file saved by K210 Studio.");
        }
        if (!Arrays.equals(head, ZIP_LOCAL)) {
            String what = head.length > 0 && (head[0] == '{' || head[0] == '[') ? "it looks like plain JSON"
                    : "it does not start with the ZIP signature 'PK'";
            throw fail(src, "it is not a K210 Studio project (a " + EXTENSION + " file is a ZIP container; " + what + ")",
                    "To open a Keras (.h5) or TensorFlow Lite (.tflite) model, use Import instead.");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(zip, src);
        } catch (ZipException | java.io.EOFException e) {
            throw damaged(src, e);
        } catch (IOException e) {
            throw fail(src, "it cannot be read (" + e + ")", "Check that the file is readable.");
        } catch (RuntimeException e) {
            // safety net: whatever a damaged container makes the ZIP or JSON layers throw is still a damaged file
            throw damaged(src, e);
        }
    }

    /**
     * True if the file looks like a project file (a ZIP container holding {@code project.json}), without
     * reading it: lets "Open" tell a project from a model to import. Never throws.
     */
    public static boolean isProjectFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(4), ZIP_LOCAL)) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(PROJECT_JSON) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Loads a project from a stream, e.g. a bundled resource; {@code sourceName} names it in messages.
     * The bytes are copied to a temporary file first (the ZIP directory sits at the end).
     */
    public static Project read(InputStream in, String sourceName) throws ProjectFileException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("k210proj-", EXTENSION);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                long limit = MAX_JSON_BYTES + MAX_WEIGHTS_BYTES + (1 << 20);
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw fail(sourceName, "it is larger than " + (limit >> 20) + " MiB, more than any project can be",
                                "Check that this is a " + EXTENSION + " file.");
                    }
                    out.write(buf, 0, n);
                }
            }
            Project p = load(tmp);
            return p;
        } catch (ProjectFileException e) {
            String msg = e.getMessage();
            if (tmp != null) {
                msg = msg.replace(String.valueOf(tmp.getFileName()), sourceName);
            }
            throw new ProjectFileException(msg, e.getCause());
        } catch (IOException e) {
            throw fail(sourceName, "it cannot be read (" + e + ")", "Check that the resource exists.");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file in the system temp folder: harmless
                }
            }
        }
    }

    /** Loads a project from its bytes (e.g. from {@link #toBytes}). */
    public static Project fromBytes(byte[] bytes, String sourceName) throws ProjectFileException {
        return read(new java.io.ByteArrayInputStream(bytes), sourceName);
    }

    private static Project read(ZipFile zip, String src) throws ProjectFileException, IOException {
        ZipEntry je = zip.getEntry(PROJECT_JSON);
        if (je == null) {
            String entries = zip.stream().limit(10).map(ZipEntry::getName).collect(Collectors.joining(", "));
            throw fail(src, "it is a ZIP archive without project.json, so not a K210 Studio project (it holds: "
                    + (entries.isEmpty() ? "nothing" : entries) + ")", "Open a " + EXTENSION + " file saved by K210 Studio.");
        }
        byte[] json = readEntry(zip, je, MAX_JSON_BYTES, src);
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail(src, "project.json is not valid JSON " + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()),
                    "Fix the JSON there (or restore the file from a backup).");
        }
        if (root == null || !root.isObject()) {
            throw fail(src, "project.json does not hold a JSON object", "Restore the file from a backup.");
        }
        checkVersion(root, src);
        ProjectDocument doc;
        try {
            doc = MAPPER.readValue(json, ProjectDocument.class);
        } catch (JsonMappingException e) {
            throw fail(src, "project.json has a wrong value at " + path(e) + " " + where(e.getLocation()) + ": " + mappingReason(e),
                    "Fix that value in project.json.");
        } catch (JsonProcessingException e) {
            throw fail(src, "project.json is not valid JSON " + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()),
                    "Fix the JSON there.");
        }
        ZipEntry we = zip.getEntry(WEIGHTS_BIN);
        byte[] weights = we == null ? null : readEntry(zip, we, MAX_WEIGHTS_BYTES, src);
        return build(doc, weights, src);
    }

    private static void checkVersion(JsonNode root, String src) throws ProjectFileException {
        JsonNode v = root.get("formatVersion");
        if (v == null || v.isNull()) {
            throw fail(src, "project.json has no \"formatVersion\", so it was not written by K210 Studio",
                    "Open a " + EXTENSION + " file saved by K210 Studio.");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw fail(src, "\"formatVersion\" in project.json must be a whole number, got " + v, "Set it to " + FORMAT_VERSION + ".");
        }
        int version = v.intValue();
        if (version > FORMAT_VERSION) {
            throw fail(src, "it was saved by a newer K210 Studio (project format version " + version
                    + "; this K210 Studio reads versions up to " + FORMAT_VERSION + ")", "Update K210 Studio to open it.");
        }
        if (version < 1) {
            throw fail(src, "\"formatVersion\" " + version + " is not a valid project format version", "Set it to " + FORMAT_VERSION + ".");
        }
    }

    private static Project build(ProjectDocument doc, byte[] weightsBlob, String src) throws ProjectFileException {
        GraphDoc gd = doc.graph();
        if (gd == null) {
            throw fail(src, "project.json has no \"graph\"", "Restore the file from a backup.");
        }
        List<LayerDoc> docs = gd.layers() == null ? List.of() : gd.layers();
        // ids, names, params
        Map<String, LayerDoc> byId = new LinkedHashMap<>();
        Map<String, LayerParams> params = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            LayerDoc d = docs.get(i);
            String at = "graph.layers[" + i + "]";
            if (d == null) {
                throw fail(src, at + " in project.json is null", "Remove it or restore the layer.");
            }
            if (d.id() == null) {
                throw fail(src, at + " in project.json has no \"id\"", "Give every layer a unique id.");
            }
            if (byId.containsKey(d.id())) {
                throw fail(src, "two layers share the id \"" + d.id() + "\" (" + at + " and an earlier one)", "Give every layer a unique id in project.json.");
            }
            if (d.name() == null) {
                throw fail(src, at + " (id \"" + d.id() + "\") has no \"name\"", "Give the layer a name.");
            }
            byId.put(d.id(), d);
            params.put(d.id(), parseParams(d, at, src));
        }
        // edges
        for (int i = 0; i < docs.size(); i++) {
            LayerDoc d = docs.get(i);
            List<String> ins = d.inputs() == null ? List.of() : d.inputs();
            for (String from : ins) {
                if (from == null || !byId.containsKey(from)) {
                    throw fail(src, "layer " + label(d) + " takes its input from layer id \"" + from
                                    + "\", which is not in the file (a dangling edge)",
                            "Remove that id from the layer's \"inputs\" in project.json, or restore the missing layer.");
                }
            }
            // more inputs than the layer takes is a state the editor allows (changing a layer's kind keeps its
            // edges; Graph.problems() reports it), so it loads as saved rather than failing
        }
        List<String> cycle = findCycle(docs);
        if (!cycle.isEmpty()) {
            String names = cycle.stream().map(id -> byId.get(id).name()).collect(Collectors.joining(" → "));
            throw fail(src, "its layers form a cycle: " + names + " → " + byId.get(cycle.get(0)).name(),
                    "A network must not feed a layer's output back into itself: remove one of these connections in project.json.");
        }
        List<String> outputs = gd.outputs() == null ? List.of() : gd.outputs();
        for (String o : outputs) {
            if (o == null || !byId.containsKey(o)) {
                throw fail(src, "the graph's outputs name layer id \"" + o + "\", which is not in the file (a dangling edge)",
                        "Remove it from \"outputs\" in project.json.");
            }
        }
        Map<String, Map<String, Tensor>> weights = readWeights(doc.weights(), weightsBlob, byId, src);

        Graph g = new Graph(gd.name() == null ? "model" : gd.name());
        try {
            List<Layer> overConnected = new ArrayList<>();
            for (LayerDoc d : docs) {
                Layer l = new Layer(d.id(), d.name(), params.get(d.id()), weights.getOrDefault(d.id(), Map.of()), d.notes());
                int n = d.inputs() == null ? 0 : d.inputs().size();
                if (n > l.params().maxInputs()) {
                    // connect through a stand-in that takes any number of inputs, then put the real layer back
                    overConnected.add(l);
                    l = l.withParams(new k210studio.ir.layer.Concatenate(-1));
                }
                g.addLayer(l);
            }
            for (LayerDoc d : docs) {
                for (String from : d.inputs() == null ? List.<String>of() : d.inputs()) {
                    g.connect(from, d.id());
                }
                Position pos = d.position();
                // a position that is not finite is dropped: the canvas lays such a layer out afresh
                if (pos != null && Double.isFinite(pos.x()) && Double.isFinite(pos.y())) {
                    g.setPosition(d.id(), pos);
                }
            }
            for (Layer l : overConnected) {
                g.replaceLayer(l);
            }
            if (!outputs.isEmpty()) {
                g.setOutputs(outputs);
            }
        } catch (GraphException e) {
            throw fail(src, "the network in it is not valid: " + e.getMessage(), "Fix the layer's connections in project.json.");
        }
        ProjectSettings settings = doc.settings() != null ? doc.settings() : ProjectSettings.defaults(g.name());
        return new Project(g, settings);
    }

    private static LayerParams parseParams(LayerDoc d, String at, String src) throws ProjectFileException {
        if (d.params() == null || d.params().isNull()) {
            throw fail(src, "layer " + label(d) + " has no \"params\"", "Add the layer's params (with its \"type\") in project.json.");
        }
        try {
            LayerParams p = PARAMS_READER.readValue(d.params());
            if (p == null) {
                throw fail(src, "layer " + label(d) + " has empty \"params\"", "Add the layer's params in project.json.");
            }
            return p;
        } catch (InvalidTypeIdException e) {
            if (e.getTypeId() == null || e.getTypeId().isEmpty()) {
                throw fail(src, "layer " + label(d) + " has params without a \"type\"", "Add \"type\" (one of " + knownTypes() + ").");
            }
            throw fail(src, "layer " + label(d) + " has the unknown layer type \"" + e.getTypeId() + "\"",
                    "This K210 Studio knows " + knownTypes() + "; the file may come from a newer version: update K210 Studio or change the type.");
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw fail(src, "layer " + label(d) + " has invalid parameters: " + c.getMessage(), "Fix the layer's params in project.json.");
        } catch (UnrecognizedPropertyException e) {
            throw fail(src, "layer " + label(d) + " has the unknown parameter \"" + e.getPropertyName() + "\" for its type",
                    "Known parameters: " + e.getKnownPropertyIds() + "; remove or rename it.");
        } catch (InvalidFormatException e) {
            throw fail(src, "layer " + label(d) + " has a wrong value at params." + path(e) + ": " + mappingReason(e),
                    "Fix the layer's params in project.json.");
        } catch (JsonMappingException e) {
            throw fail(src, "layer " + label(d) + " has wrong params" + (e.getPath().isEmpty() ? "" : " at params." + path(e)) + ": "
                    + mappingReason(e), "Fix the layer's params in project.json.");
        } catch (IOException e) {
            throw fail(src, "layer " + label(d) + " has unreadable params: " + firstLine(e.getMessage()), "Fix the layer's params in project.json.");
        }
    }

    private static Map<String, Map<String, Tensor>> readWeights(List<WeightDoc> index, byte[] blob, Map<String, LayerDoc> layers,
                                                              String src) throws ProjectFileException {
        Map<String, Map<String, Tensor>> out = new HashMap<>();
        if (index == null || index.isEmpty()) {
            if (blob != null && blob.length > 0) {
                throw fail(src, "weights.bin holds " + blob.length + " bytes but project.json lists no weights",
                        "The two parts of the file do not belong together; restore it from a backup.");
            }
            return out;
        }
        if (blob == null) {
            throw fail(src, "project.json lists " + index.size() + " weight tensors but the file has no weights.bin",
                    "The file is incomplete; restore it from a backup.");
        }
        long end = 0;
        for (int i = 0; i < index.size(); i++) {
            WeightDoc w = index.get(i);
            String at = "weights[" + i + "]";
            if (w == null) {
                throw fail(src, at + " in project.json is null", "Remove it.");
            }
            LayerDoc l = w.layer() == null ? null : layers.get(w.layer());
            if (l == null) {
                throw fail(src, at + " in project.json belongs to layer id \"" + w.layer() + "\", which is not in the file",
                        "Remove the entry or restore the layer.");
            }
            if (w.key() == null) {
                throw fail(src, at + " (layer " + label(l) + ") has no \"key\"", "Name the weight (e.g. \"kernel\").");
            }
            String what = "weight \"" + w.key() + "\" of layer " + label(l);
            if (w.shape() == null) {
                throw fail(src, what + " has no \"shape\"", "Add the shape in project.json.");
            }
            long elements = 1;
            for (int d : w.shape()) {
                if (d < 0) {
                    throw fail(src, what + " has a negative dimension in shape " + Arrays.toString(w.shape()), "Fix the shape in project.json.");
                }
                elements *= d;
                if (elements > MAX_WEIGHTS_BYTES) {
                    throw fail(src, what + " has an impossibly large shape " + Arrays.toString(w.shape()), "Fix the shape in project.json.");
                }
            }
            if (w.offset() == null || w.length() == null || w.offset() < 0 || w.length() < 0) {
                throw fail(src, what + " needs a non-negative \"offset\" and \"length\" (bytes in weights.bin)", "Fix the weights index in project.json.");
            }
            if (w.length() != elements * 4) {
                throw fail(src, "weights size mismatch: " + what + " has shape " + Arrays.toString(w.shape()) + " = " + elements
                        + " float32 values = " + elements * 4 + " bytes, but its index entry says " + w.length() + " bytes",
                        "The weights index is damaged; restore the file from a backup.");
            }
            if (w.offset() > blob.length || w.length() > blob.length - w.offset()) {
                throw fail(src, "weights size mismatch: " + what + " needs bytes " + w.offset() + ".." + (w.offset() + w.length())
                                + " of weights.bin, which has only " + blob.length + " bytes",
                        "weights.bin is shorter than its index says (cut off, or from another save); restore the file from a backup.");
            }
            Map<String, Tensor> lw = out.computeIfAbsent(w.layer(), k -> new LinkedHashMap<>());
            if (lw.containsKey(w.key())) {
                throw fail(src, what + " is listed twice in the weights index", "Remove the duplicate entry.");
            }
            float[] data = new float[(int) elements];
            ByteBuffer.wrap(blob, (int) (long) w.offset(), (int) (long) w.length()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            lw.put(w.key(), new Tensor(w.shape(), data));
            end = Math.max(end, w.offset() + w.length());
        }
        if (end != blob.length) {
            throw fail(src, "weights size mismatch: weights.bin has " + blob.length + " bytes but the weights index covers only " + end,
                    "The two parts of the file do not belong together; restore it from a backup.");
        }
        return out;
    }

    /** Layer ids on one cycle (in edge order), or empty when the layers form a DAG. */
    private static List<String> findCycle(List<LayerDoc> docs) {
        Map<String, List<String>> producers = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (LayerDoc d : docs) {
            List<String> ins = d.inputs() == null ? List.of() : d.inputs();
            producers.put(d.id(), ins);
            pending.put(d.id(), ins.size());
            for (String p : ins) {
                consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(d.id());
            }
        }
        List<String> ready = new ArrayList<>();
        pending.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        while (!ready.isEmpty()) {
            String id = ready.remove(ready.size() - 1);
            pending.remove(id);
            for (String c : consumers.getOrDefault(id, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (pending.isEmpty()) {
            return List.of();
        }
        // every layer left waits for a producer that is also left: walking producers must come back round
        List<String> walk = new ArrayList<>();
        Map<String, Integer> seenAt = new HashMap<>();
        String cur = pending.keySet().iterator().next();
        while (!seenAt.containsKey(cur)) {
            seenAt.put(cur, walk.size());
            walk.add(cur);
            String next = null;
            for (String p : producers.get(cur)) {
                if (pending.containsKey(p)) {
                    next = p;
                    break;
                }
            }
            cur = next;
        }
        List<String> cycle = new ArrayList<>(walk.subList(seenAt.get(cur), walk.size()));
        Collections.reverse(cycle); // producers first
        // start at the layer that comes first in the file, so the message is stable
        List<String> order = docs.stream().map(LayerDoc::id).toList();
        int start = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (order.indexOf(cycle.get(i)) < order.indexOf(cycle.get(start))) {
                start = i;
            }
        }
        Collections.rotate(cycle, -start);
        return cycle;
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] readEntry(ZipFile zip, ZipEntry e, long limit, String src) throws ProjectFileException {
        long declared = e.getSize();
        if (declared > limit) {
            throw fail(src, e.getName() + " claims " + declared + " bytes, more than the " + (limit >> 20) + " MiB a project part may have",
                    "The file is damaged or not a K210 Studio project.");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readNBytes((int) (declared >= 0 ? declared + 1 : limit + 1));
        } catch (IOException ex) {
            throw damaged(src, ex);
        }
        if (bytes.length > limit || (declared >= 0 && bytes.length != declared)) {
            throw fail(src, e.getName() + " inside it has " + bytes.length + (bytes.length > declared ? "+" : "") + " bytes where the ZIP directory says "
                    + declared, "The file is damaged; restore it from a backup.");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw fail(src, e.getName() + " inside it is damaged (its checksum does not match)", "Restore the file from a backup.");
        }
        return bytes;
    }

    private static ProjectFileException damaged(String src, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ProjectFileException("Cannot open project " + src + ": the file is damaged or truncated (ZIP container: " + m
                + "). It was probably cut off while being saved, copied or downloaded; restore it from a backup.", e);
    }

    private static ProjectFileException fail(String src, String problem, String fix) {
        return new ProjectFileException("Cannot open project " + src + ": " + problem + ". " + fix);
    }

    private static String label(LayerDoc d) {
        return "\"" + d.name() + "\" (id " + d.id() + ")";
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "the top level" : b.toString();
    }

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private static String mappingReason(JsonMappingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        String m = firstLine(e.getOriginalMessage());
        Matcher mm = MISSING.matcher(m);
        if (mm.find()) {
            return "the value \"" + mm.group(1) + "\" is missing";
        }
        if (e instanceof InvalidFormatException f) {
            return "\"" + f.getValue() + "\" is not a valid " + f.getTargetType().getSimpleName()
                    + (f.getTargetType().isEnum() ? " (one of " + Arrays.toString(f.getTargetType().getEnumConstants()) + ")" : "");
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Jackson's "[Source: REDACTED (...); line: 3, column: 5]" → "[line: 3, column: 5]"
        return line.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    private static String knownTypes() {
        JsonSubTypes st = LayerParams.class.getAnnotation(JsonSubTypes.class);
        Set<String> names = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (JsonSubTypes.Type t : st.value()) {
            if (names.add(t.name())) {
                out.add(t.name());
            }
        }
        return String.join(", ", out);
    }

    private static byte[] floatsLE(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return b.array();
    }

    /** A temp file is created owner-only; give the saved file the old file's permissions, or the usual rw-r--r--. */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                return;
            }
            Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // keep the temp file's permissions
        }
    }

    private static void syncDirectory(Path dir) {
        // makes the rename itself durable on Linux/macOS; not possible (and not needed) on Windows
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}

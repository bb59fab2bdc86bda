package k210studio.converter.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.api.Group;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import k210studio.converter.keras.KerasModelConfig.ModelDecl;
import k210studio.converter.keras.KerasTopology.FlatModel;

/**
 * Imports Keras models into the IR: Keras 2 / tf.keras full-model {@code .h5} files
 * ({@code model.save("m.h5")}) and Keras 3 {@code .keras} archives. The format is recognised by
 * the file's first bytes, not its name. Training configuration and optimizer state are ignored.
 *
 * <pre>{@code
 * ImportedKerasModel m = KerasImporter.importFile(Path.of("model.h5"));
 * Graph g = m.graph();                 // layers keep their Keras names
 * TensorShape in = m.inputs().get(0).shape();
 * }</pre>
 */
public final class KerasImporter {
    /** Largest model file read (the K210 has 8 MiB of RAM; anything far beyond is not a K210 model or is corrupt). */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** Largest config.json / metadata.json accepted inside a .keras archive. */
    static final int MAX_JSON_BYTES = 64 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasImporter() {
    }

    /** True when the bytes start like a file this importer reads (HDF5 or zip). */
    public static boolean looksLikeKeras(byte[] head) {
        return Hdf5Reader.isHdf5(head) || isZip(head);
    }

    /** Imports a {@code .h5} or {@code .keras} file. */
    public static ImportedKerasModel importFile(Path file) throws KerasImportException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new KerasImportException(file.getFileName() + " is " + size + " bytes, larger than any model the K210 can run ("
                        + MAX_FILE_BYTES + " bytes is the limit here)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KerasImportException("file not found: " + file, e);
        } catch (IOException e) {
            throw new KerasImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return importBytes(bytes, String.valueOf(file.getFileName()));
    }

    /**
     * Imports a model from its bytes.
     *
     * @param fileName used in messages only
     */
    public static ImportedKerasModel importBytes(byte[] bytes, String fileName) throws KerasImportException {
        try {
            return importChecked(bytes, fileName);
        } catch (RuntimeException | StackOverflowError e) {
            // every expected problem is reported above with its own message; this is the net for values no check foresaw
            throw new KerasImportException(fileName + " could not be imported: its content is inconsistent ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); the file is probably corrupt. Save the model again with model.save().", e);
        }
    }

    private static ImportedKerasModel importChecked(byte[] bytes, String fileName) throws KerasImportException {
        if (Hdf5Reader.isHdf5(bytes)) {
            return importH5(bytes, fileName);
        }
        if (isZip(bytes)) {
            return importKerasZip(bytes, fileName);
        }
        String hint = "";
        if (bytes.length >= 8 && bytes[4] == 'T' && bytes[5] == 'F' && bytes[6] == 'L' && bytes[7] == '3') {
            hint = " It is a TensorFlow Lite model: open it as a .tflite file.";
        } else if (bytes.length == 0) {
            hint = " The file is empty.";
        }
        throw new KerasImportException(fileName + " is not a Keras model: it is neither an HDF5 file (.h5, from model.save(\"m.h5\")) "
                + "nor a Keras 3 zip archive (.keras)." + hint);
    }

    // ------------------------------------------------------------------ Keras 2 .h5

    private static ImportedKerasModel importH5(byte[] bytes, String fileName) throws KerasImportException {
        try (Hdf5Reader h5 = Hdf5Reader.open(bytes, fileName)) {
            String config = h5.stringAttribute(h5.file(), "model_config");
            if (config == null) {
                throw noArchitecture(h5, fileName);
            }
            String version = orEmpty(h5.stringAttribute(h5.file(), "keras_version"));
            if (version.startsWith("1.")) {
                throw new KerasImportException(fileName + " was written by Keras " + version + "; Keras 1 files (nb_filter, border_mode, ...) "
                        + "are not supported. Load the model in Keras 2 (tf.keras) and save it again with model.save(\"model.h5\").");
            }
            List<String> notes = new ArrayList<>();
            if (h5.stringAttribute(h5.file(), "training_config") != null) {
                notes.add("the training configuration (loss, optimizer, metrics) in the file was ignored");
            }
            if (h5.groupOrNull("optimizer_weights") != null) {
                notes.add("the optimizer state (optimizer_weights) in the file was ignored");
            }
            Group modelWeights = h5.groupOrNull("model_weights");
            if (modelWeights == null) {
                throw new KerasImportException(fileName + " has an architecture (model_config) but no model_weights group: it was saved "
                        + "without weights or is truncated. Save it again with model.save(\"model.h5\").");
            }
            ModelDecl root = KerasModelConfig.parseRoot(parseJson(config, fileName + " (model_config attribute)"));
            // Keras 3 can still write the legacy .h5 layout, with its own config serialization inside
            FlatModel flat = KerasTopology.flatten(root, version.startsWith("3."));
            KerasGraphBuilder.Built built = KerasGraphBuilder.build(flat, root.name(), new Keras2Weights(h5, modelWeights), notes);
            return new ImportedKerasModel(built.graph(), KerasFormat.KERAS2_H5, version, built.inputs(), notes);
        }
    }

    private static KerasImportException noArchitecture(Hdf5Reader h5, String fileName) throws KerasImportException {
        boolean keras2Weights = !h5.stringListAttribute(h5.file(), "layer_names").isEmpty();
        boolean keras3Weights = h5.groupOrNull("layers") != null || h5.groupOrNull("_layer_checkpoint_dependencies") != null
                || h5.groupOrNull("vars") != null;
        if (keras2Weights || keras3Weights) {
            List<String> layers = h5.stringListAttribute(h5.file(), "layer_names");
            return new KerasImportException(fileName + " holds only weights" + (layers.isEmpty() ? "" : " (of layers " + abbreviate(layers) + ")")
                    + ", not the model's architecture: it was written by model.save_weights(), which has no model_config. "
                    + "In Python, build the same model, load these weights into it (model.load_weights(...)) and save the whole model "
                    + "with model.save(\"model.h5\") (or model.save(\"model.keras\")), then import that file.");
        }
        return new KerasImportException(fileName + " is an HDF5 file but not a Keras model: it has no model_config attribute. "
                + "Save the model with model.save(\"model.h5\") (not save_weights()) and import that file.");
    }

    // ------------------------------------------------------------------ Keras 3 .keras

    private static ImportedKerasModel importKerasZip(byte[] bytes, String fileName) throws KerasImportException {
        Map<String, byte[]> entries = readZip(bytes, fileName);
        byte[] config = entries.get("config.json");
        if (config == null) {
            throw new KerasImportException(fileName + " is a zip archive without config.json, so it is not a Keras 3 .keras model "
                    + "(a .keras file holds config.json, metadata.json and model.weights.h5)");
        }
        String version = "";
        byte[] meta = entries.get("metadata.json");
        List<String> notes = new ArrayList<>();
        if (meta != null) {
            JsonNode m = parseJson(new String(meta, StandardCharsets.UTF_8), fileName + " (metadata.json)");
            version = m.path("keras_version").asText("");
        }
        JsonNode cfg = parseJson(new String(config, StandardCharsets.UTF_8), fileName + " (config.json)");
        if (cfg.has("compile_config") && !cfg.get("compile_config").isNull()) {
            notes.add("the training configuration (compile_config) in the file was ignored");
        }
        byte[] weights = entries.get("model.weights.h5");
        if (weights == null) {
            if (entries.containsKey("model.weights.npz")) {
                throw new KerasImportException(fileName + " keeps its weights as model.weights.npz; only the default h5 weights format "
                        + "is supported: save it again with model.save(\"model.keras\")");
            }
            throw new KerasImportException(fileName + " has no model.weights.h5; the archive is incomplete. Save it again with model.save(\"model.keras\").");
        }
        ModelDecl root = KerasModelConfig.parseRoot(cfg);
        FlatModel flat = KerasTopology.flatten(root, true);
        try (Hdf5Reader h5 = Hdf5Reader.open(weights, "model.weights.h5 inside " + fileName)) {
            if (h5.groupOrNull("optimizer") != null) {
                notes.add("the optimizer state in the file was ignored");
            }
            KerasGraphBuilder.Built built = KerasGraphBuilder.build(flat, root.name(), new Keras3Weights(h5), notes);
            return new ImportedKerasModel(built.graph(), KerasFormat.KERAS3_ZIP, version, built.inputs(), notes);
        }
    }

    private static Map<String, byte[]> readZip(byte[] bytes, String fileName) throws KerasImportException {
        Map<String, byte[]> out = new HashMap<>();
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            int count = 0;
            while ((e = zin.getNextEntry()) != null) {
                if (++count > 10_000) {
                    throw new KerasImportException(fileName + " has more than 10000 entries; it is not a Keras model");
                }
                String name = e.getName();
                boolean wanted = name.equals("config.json") || name.equals("metadata.json") || name.equals("model.weights.h5")
                        || name.equals("model.weights.npz");
                if (!wanted || e.isDirectory()) {
                    continue;
                }
                long limit = name.endsWith(".json") ? MAX_JSON_BYTES : MAX_FILE_BYTES;
                byte[] data = readLimited(zin, limit, fileName + "!" + name);
                total += data.length;
                if (total > MAX_FILE_BYTES) {
                    throw new KerasImportException(fileName + " unpacks to more than " + MAX_FILE_BYTES + " bytes; it is not a K210-sized model");
                }
                out.put(name, data);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new KerasImportException(fileName + " is a corrupt or truncated zip archive (" + e.getMessage()
                    + "). Save the model again with model.save(\"model.keras\").", e);
        }
        return out;
    }

    private static byte[] readLimited(InputStream in, long limit, String what) throws IOException, KerasImportException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > limit) {
                throw new KerasImportException(what + " is larger than " + limit + " bytes; the archive is not a K210-sized Keras model");
            }
            bout.write(buf, 0, r);
        }
        return bout.toByteArray();
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode parseJson(String text, String what) throws KerasImportException {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new KerasImportException(what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new KerasImportException(what + " is not valid JSON (" + e.getOriginalMessage()
                    + "); the file is corrupt. Save the model again.", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasImportException(what + " cannot be parsed (" + e.getClass().getSimpleName() + "); the file is corrupt.", e);
        }
    }

    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 6) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 5)) + ", … " + names.size() + " in all";
    }
}

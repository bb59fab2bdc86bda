package k210studio.converter.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test helper: reads Keras .h5 fixtures with jhdf directly (independently of the importer) and
 * writes Keras files with jhdf's HDF5 writer: Keras 2 .h5 files from a config and weights, and
 * Keras 3 .keras archives (config.json + metadata.json + model.weights.h5 in keras saving_lib's
 * {@code layers/<snake_case class>[_n]/vars/<i>} layout). Files written here are made by this
 * project for tests, not third-party fixtures.
 */
final class KerasTestFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private KerasTestFiles() {
    }

    /** A weight as Keras 2 stores it: its dataset path below the layer group, shape and values. */
    record H5Weight(String name, int[] shape, float[] data) {
    }

    /** model_config of a Keras 2 .h5, read with jhdf. */
    static JsonNode modelConfig(Path h5) throws IOException {
        try (HdfFile f = new HdfFile(h5)) {
            return JSON.readTree((String) f.getAttribute("model_config").getData());
        }
    }

    /** model_weights/layer_names of a Keras 2 .h5 (the order of model.layers), read with jhdf. */
    static List<String> layerNames(Path h5) {
        try (HdfFile f = new HdfFile(h5)) {
            List<String> out = new ArrayList<>();
            for (Object o : (Object[]) f.getChild("model_weights").getAttribute("layer_names").getData()) {
                out.add((String) o);
            }
            return out;
        }
    }

    /** model_weights/<layer> of a Keras 2 .h5, in weight_names order, read with jhdf. */
    static Map<String, List<H5Weight>> modelWeights(Path h5) {
        Map<String, List<H5Weight>> out = new LinkedHashMap<>();
        try (HdfFile f = new HdfFile(h5)) {
            Group mw = (Group) f.getChild("model_weights");
            for (String layer : mw.getChildren().keySet()) {
                Group g = (Group) mw.getChild(layer);
                List<H5Weight> ws = new ArrayList<>();
                var attr = g.getAttribute("weight_names");
                Object names = attr == null ? null : attr.getData();
                if (names instanceof Object[] arr) {
                    for (Object n : arr) {
                        Dataset ds = (Dataset) g.getByPath((String) n);
                        ws.add(new H5Weight((String) n, ds.getDimensions(), (float[]) ds.getDataFlat()));
                    }
                }
                out.put(layer, ws);
            }
        }
        return out;
    }

    /** Writes a Keras 2 full-model .h5: model_config, keras_version, model_weights/<layer>/<name> datasets and weight_names. */
    static void writeKeras2(Path file, String modelConfig, Map<String, List<H5Weight>> weights) {
        try (WritableHdfFile f = HdfFile.write(file)) {
            f.putAttribute("model_config", modelConfig);
            f.putAttribute("keras_version", "2.8.0");
            f.putAttribute("backend", "tensorflow");
            WritableGroup mw = f.putGroup("model_weights");
            if (!weights.isEmpty()) {
                mw.putAttribute("layer_names", weights.keySet().toArray(new String[0]));
            }
            for (Map.Entry<String, List<H5Weight>> e : weights.entrySet()) {
                WritableGroup g = mw.putGroup(e.getKey());
                if (e.getValue().isEmpty()) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (H5Weight w : e.getValue()) {
                    names.add(w.name());
                    String[] parts = w.name().split("/");
                    WritableGroup at = g;
                    for (int i = 0; i < parts.length - 1; i++) {
                        at = at.getChild(parts[i]) instanceof WritableGroup wg ? wg : at.putGroup(parts[i]);
                    }
                    at.putDataset(parts[parts.length - 1], nested(w.shape(), w.data()));
                }
                g.putAttribute("weight_names", names.toArray(new String[0]));
            }
        }
    }

    /** Writes a Keras 3 .keras archive; {@code vars} maps a layer path ("layers/conv2d") to its variables in order. */
    static byte[] keras3Zip(JsonNode config, Map<String, List<H5Weight>> vars, Path scratch) throws IOException {
        Path h5 = scratch.resolve("model.weights.h5");
        try (WritableHdfFile f = HdfFile.write(h5)) {
            // Keras also writes an empty "vars" group at the root and for layers without variables;
            // jhdf 0.10.0 writes empty groups that it cannot read back, so they are left out (the importer needs none)
            for (Map.Entry<String, List<H5Weight>> e : vars.entrySet()) {
                WritableGroup g = f;
                for (String part : e.getKey().split("/")) {
                    g = g.getChild(part) instanceof WritableGroup wg ? wg : g.putGroup(part);
                }
                WritableGroup v = g.putGroup("vars");
                for (int i = 0; i < e.getValue().size(); i++) {
                    H5Weight w = e.getValue().get(i);
                    v.putDataset(Integer.toString(i), nested(w.shape(), w.data()));
                }
            }
        }
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bout)) {
            z.putNextEntry(new ZipEntry("metadata.json"));
            z.write("{\"keras_version\": \"3.6.0\", \"date_saved\": \"2026-11-29@06:00:00\"}".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("config.json"));
            z.write(JSON.writeValueAsBytes(config));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            z.write(Files.readAllBytes(h5));
            z.closeEntry();
        }
        return bout.toByteArray();
    }

    /**
     * Rewrites a Keras 2 model_config (Sequential or Functional) the way Keras 3 serializes it:
     * module/registered_name keys, dtype policies, InputLayer batch_shape, LeakyReLU negative_slope,
     * and inbound_nodes as {"args": [...], "kwargs": {}} with __keras_tensor__ keras_history entries.
     */
    static ObjectNode toKeras3Config(JsonNode keras2) {
        ObjectNode root = F.objectNode();
        root.put("module", "keras");
        String cls = keras2.get("class_name").asText();
        root.put("class_name", cls);
        ObjectNode cfg = F.objectNode();
        JsonNode c2 = keras2.get("config");
        cfg.put("name", c2.path("name").asText("model"));
        cfg.put("trainable", true);
        ArrayNode layers = cfg.putArray("layers");
        for (JsonNode l : c2.get("layers")) {
            layers.add(layerToKeras3(l, !cls.equals("Sequential")));
        }
        if (cls.equals("Sequential")) {
            JsonNode first = c2.get("layers").get(0).get("config");
            cfg.set("build_input_shape", first.get("batch_input_shape"));
        } else {
            JsonNode in = c2.get("input_layers");
            cfg.set("input_layers", in.size() == 1 ? in.get(0) : in); // Keras 3 writes a single endpoint unwrapped
            cfg.set("output_layers", c2.get("output_layers"));
        }
        root.set("config", cfg);
        root.putNull("registered_name");
        ObjectNode compile = root.putObject("compile_config");
        compile.put("loss", "categorical_crossentropy");
        return root;
    }

    private static ObjectNode layerToKeras3(JsonNode l, boolean functional) {
        ObjectNode out = F.objectNode();
        out.put("module", "keras.layers");
        String cls = l.get("class_name").asText();
        out.put("class_name", cls);
        ObjectNode c = ((ObjectNode) l.get("config")).deepCopy();
        if (cls.equals("InputLayer")) {
            c.set("batch_shape", c.remove("batch_input_shape"));
        } else {
            c.remove("batch_input_shape");
        }
        if (cls.equals("LeakyReLU") && c.has("alpha")) {
            c.set("negative_slope", c.remove("alpha"));
        }
        ObjectNode policy = F.objectNode();
        policy.put("module", "keras");
        policy.put("class_name", "DTypePolicy");
        policy.putObject("config").put("name", "float32");
        policy.putNull("registered_name");
        c.set("dtype", policy);
        out.set("config", c);
        out.putNull("registered_name");
        out.put("name", c.path("name").asText());
        if (functional) {
            ArrayNode nodes = out.putArray("inbound_nodes");
            for (JsonNode node : l.get("inbound_nodes")) {
                ObjectNode n = nodes.addObject();
                ArrayNode args = n.putArray("args");
                List<JsonNode> tensors = new ArrayList<>();
                for (JsonNode ref : node) {
                    ObjectNode kt = F.objectNode();
                    kt.put("class_name", "__keras_tensor__");
                    ObjectNode ktc = kt.putObject("config");
                    ktc.putArray("shape");
                    ktc.put("dtype", "float32");
                    ArrayNode hist = ktc.putArray("keras_history");
                    hist.add(ref.get(0).asText()).add(ref.get(1).asInt()).add(ref.get(2).asInt());
                    tensors.add(kt);
                }
                if (tensors.size() == 1) {
                    args.add(tensors.get(0));
                } else {
                    ArrayNode list = args.addArray();
                    tensors.forEach(list::add);
                }
                n.putObject("kwargs");
            }
        }
        return out;
    }

    /** Keras saving_lib's snake_case of a class name, written independently of the importer for the test. */
    static String snake(String cls) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cls.length(); i++) {
            char ch = cls.charAt(i);
            boolean upper = Character.isUpperCase(ch);
            boolean prevLower = i > 0 && Character.isLowerCase(cls.charAt(i - 1));
            boolean nextLower = i + 1 < cls.length() && Character.isLowerCase(cls.charAt(i + 1));
            if (upper && i > 0 && (prevLower || nextLower) && sb.charAt(sb.length() - 1) != '_') {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(ch));
        }
        return sb.toString();
    }

    /** A row-major float array as the nested Java array jhdf writes (rank 0..4): the product writer's conversion. */
    static Object nested(int[] shape, float[] data) {
        return KerasH5Writer.nested(shape, data);
    }
}

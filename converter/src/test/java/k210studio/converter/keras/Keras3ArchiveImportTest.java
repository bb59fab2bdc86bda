package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.converter.keras.KerasTestFiles.H5Weight;
import k210studio.ir.graph.Graph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3 {@code .keras} archives. No licensed real .keras fixture exists (see the fixtures README
 * §3), so each archive here is MADE BY THIS TEST from a real Keras 2 .h5 fixture: its model_config
 * is rewritten the way Keras 3 serializes it (module keys, dtype policies, batch_shape,
 * {@code inbound_nodes} as args/kwargs with {@code __keras_tensor__} keras_history entries) and its
 * weights are written with jhdf's HDF5 writer in keras saving_lib's layout
 * ({@code layers/<snake_case class>[_n]/vars/<i>}, Sequential leaving its InputLayer out of the count).
 * The import of the archive must equal the import of the original .h5: same layers, names, edges, weights.
 */
class Keras3ArchiveImportTest {

    @TempDir
    Path tmp;

    @Test
    void functionalMobilenetArchiveImportsExactlyLikeTheH5ItWasMadeFrom() throws Exception {
        Path h5 = KerasFixtureImportTest.MBNET;
        byte[] zip = archiveFrom(h5);
        ImportedKerasModel k3 = KerasImporter.importBytes(zip, "mbnet128_made_by_test.keras");
        ImportedKerasModel k2 = KerasImporter.importFile(h5);
        assertThat(k3.format()).isEqualTo(KerasFormat.KERAS3_ZIP);
        assertThat(k3.kerasVersion()).isEqualTo("3.6.0");
        assertThat(k3.inputs()).isEqualTo(k2.inputs());
        assertSameGraph(k3.graph(), k2.graph());
    }

    @Test
    void sequentialArchiveImportsExactlyLikeTheH5ItWasMadeFrom() throws Exception {
        Path h5 = KerasFixtureImportTest.MNIST;
        ImportedKerasModel k3 = KerasImporter.importBytes(archiveFrom(h5), "mnist_dw_made_by_test.keras");
        ImportedKerasModel k2 = KerasImporter.importFile(h5);
        assertSameGraph(k3.graph(), k2.graph());
        assertThat(k3.notes()).anyMatch(n -> n.contains("compile_config"));
    }

    @Test
    void archiveWithoutWeightsOrConfigIsRefusedClearly() throws Exception {
        JsonNode cfg = KerasTestFiles.toKeras3Config(KerasTestFiles.modelConfig(KerasFixtureImportTest.MNIST));
        byte[] noWeights = zipOf(Map.of("config.json", KerasTestFiles.JSON.writeValueAsBytes(cfg)));
        assertThatThrownBy(() -> KerasImporter.importBytes(noWeights, "x.keras"))
                .isInstanceOf(KerasImportException.class).hasMessageContaining("no model.weights.h5");
        byte[] noConfig = zipOf(Map.of("metadata.json", "{}".getBytes()));
        assertThatThrownBy(() -> KerasImporter.importBytes(noConfig, "y.keras"))
                .isInstanceOf(KerasImportException.class).hasMessageContaining("without config.json");
    }

    @Test
    void weightsThatDoNotMatchTheConfigAreRefusedNamingTheLayer() throws Exception {
        JsonNode k2 = KerasTestFiles.modelConfig(KerasFixtureImportTest.MNIST);
        ObjectNode cfg = KerasTestFiles.toKeras3Config(k2);
        Map<String, List<H5Weight>> vars = keras3Vars(k2, KerasTestFiles.modelWeights(KerasFixtureImportTest.MNIST));
        ((ObjectNode) cfg.get("config").get("layers").get(1).get("config")).put("filters", 5); // ftr0a: 4 filters in the file
        byte[] zip = KerasTestFiles.keras3Zip(cfg, vars, tmp);
        assertThatThrownBy(() -> KerasImporter.importBytes(zip, "z.keras"))
                .isInstanceOf(KerasImportException.class)
                .hasMessageContaining("'ftr0a' (Conv2D)")
                .hasMessageContaining("[3, 3, 1, 4]")
                .hasMessageContaining("[3, 3, 1, 5]");
    }

    /** A Keras 3 keras_tensor reference as config.json writes it. */
    static String kt(String layer, int node) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null], \"dtype\": \"float32\", "
                + "\"keras_history\": [\"" + layer + "\", " + node + ", 0]}}";
    }

    static String k3layer(String cls, String name, String config, String... callArgs) {
        StringBuilder nodes = new StringBuilder("[");
        for (int i = 0; i < callArgs.length; i++) {
            nodes.append(i == 0 ? "" : ", ").append("{\"args\": [").append(callArgs[i]).append("], \"kwargs\": {}}");
        }
        nodes.append("]");
        return "{\"module\": \"keras.layers\", \"class_name\": \"" + cls + "\", \"config\": {\"name\": \"" + name
                + "\", \"trainable\": true, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\", "
                + "\"config\": {\"name\": \"float32\"}, \"registered_name\": null}" + (config.isEmpty() ? "" : ", " + config)
                + "}, \"registered_name\": null, \"name\": \"" + name + "\", \"inbound_nodes\": " + nodes + "}";
    }

    @Test
    void nestedFunctionalAndSequentialModelsReadTheirWeightsFromKerasThreePaths() throws Exception {
        String backbone = "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"name\": \"backbone\", "
                + "\"registered_name\": \"Functional\", \"config\": {\"name\": \"backbone\", \"trainable\": false, \"layers\": ["
                + k3layer("InputLayer", "bb_in", "\"batch_shape\": [null, 16, 16, 3]") + ", "
                + k3layer("Conv2D", "bb_conv", "\"filters\": 8, \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\", "
                        + "\"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"groups\": 1, \"activation\": \"relu\", \"use_bias\": false",
                        kt("bb_in", 0)) + ", "
                + k3layer("BatchNormalization", "bb_bn", "\"axis\": -1, \"epsilon\": 0.001, \"center\": true, \"scale\": true", kt("bb_conv", 0)) + ", "
                + k3layer("Conv2D", "bb_conv2", "\"filters\": 8, \"kernel_size\": [1, 1], \"padding\": \"valid\", \"activation\": \"linear\", "
                        + "\"use_bias\": true", kt("bb_bn", 0))
                + "], \"input_layers\": [\"bb_in\", 0, 0], \"output_layers\": [\"bb_conv2\", 0, 0]}, "
                + "\"inbound_nodes\": [{\"args\": [" + kt("resize", 0) + "], \"kwargs\": {\"training\": false}}]}";
        String head = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"name\": \"head\", \"registered_name\": null, "
                + "\"config\": {\"name\": \"head\", \"trainable\": true, \"layers\": ["
                + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 8, 8, 8], \"name\": \"head_in\"}}, "
                + k3layer("GlobalAveragePooling2D", "gap", "\"data_format\": \"channels_last\", \"keepdims\": false") + ", "
                + k3layer("Dense", "fc", "\"units\": 5, \"activation\": \"softmax\", \"use_bias\": true")
                + "], \"build_input_shape\": [null, 8, 8, 8]}, \"inbound_nodes\": [{\"args\": [" + kt("backbone", 1) + "], \"kwargs\": {}}]}";
        String config = "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": \"outer\", "
                + "\"trainable\": true, \"layers\": ["
                + k3layer("InputLayer", "image", "\"batch_shape\": [null, 32, 32, 3]") + ", "
                + k3layer("Resizing", "resize", "\"height\": 16, \"width\": 16, \"interpolation\": \"bilinear\", \"crop_to_aspect_ratio\": false",
                        kt("image", 0)) + ", "
                + backbone + ", " + head
                + "], \"input_layers\": [[\"image\", 0, 0]], \"output_layers\": [[\"head\", 0, 0]]}, \"registered_name\": \"Functional\"}";
        java.util.Random r = new java.util.Random(3);
        Map<String, List<H5Weight>> vars = new LinkedHashMap<>();
        vars.put("layers/functional/layers/conv2d", List.of(weight(r, 3, 3, 3, 8)));
        vars.put("layers/functional/layers/batch_normalization", List.of(weight(r, 8), weight(r, 8), weight(r, 8), weight(r, 8)));
        vars.put("layers/functional/layers/conv2d_1", List.of(weight(r, 1, 1, 8, 8), weight(r, 8)));
        vars.put("layers/sequential/layers/dense", List.of(weight(r, 8, 5), weight(r, 5)));
        byte[] zip = KerasTestFiles.keras3Zip(KerasTestFiles.JSON.readTree(config), vars, tmp);
        ImportedKerasModel m = KerasImporter.importBytes(zip, "nested_made_by_test.keras");
        Graph g = m.graph();
        assertThat(KerasFixtureImportTest.names(g)).containsExactly("image", "resize", "bb_conv", "bb_bn", "bb_conv2", "gap", "fc");
        assertThat(g.layerNamed("resize").params()).isEqualTo(new k210studio.ir.layer.Resizing(16, 16,
                k210studio.ir.layer.Interpolation.BILINEAR, false, true));
        assertThat(g.inputsOf(g.layerNamed("bb_conv").id())).containsExactly(g.layerNamed("resize").id());
        assertThat(g.inputsOf(g.layerNamed("gap").id())).containsExactly(g.layerNamed("bb_conv2").id());
        assertThat(g.layerNamed("bb_conv").weight("kernel").data()).containsExactly(vars.get("layers/functional/layers/conv2d").get(0).data());
        assertThat(g.layerNamed("bb_bn").weight("moving_variance").data())
                .containsExactly(vars.get("layers/functional/layers/batch_normalization").get(3).data());
        assertThat(g.layerNamed("bb_conv2").weight("bias").data()).containsExactly(vars.get("layers/functional/layers/conv2d_1").get(1).data());
        assertThat(g.layerNamed("fc").weight("kernel").data()).containsExactly(vars.get("layers/sequential/layers/dense").get(0).data());
        assertThat(g.layerNamed("fc").notes()).containsEntry("keras.nested_in", "head");
        assertThat(k210studio.ir.shape.ShapeInference.infer(g).shape(g.layerNamed("fc").id()))
                .isEqualTo(k210studio.ir.tensor.TensorShape.of(5));
    }

    static H5Weight weight(java.util.Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5f + r.nextFloat();
        }
        return new H5Weight("w", shape, v);
    }

    static void assertSameGraph(Graph a, Graph b) {
        assertThat(KerasFixtureImportTest.names(a)).isEqualTo(KerasFixtureImportTest.names(b));
        for (String id : b.ids()) {
            assertThat(a.layer(id)).as("layer %s", b.layer(id).name()).isEqualTo(b.layer(id));
            assertThat(a.inputsOf(id)).isEqualTo(b.inputsOf(id));
        }
        assertThat(a.outputIds()).isEqualTo(b.outputIds());
        assertThat(a).isEqualTo(b);
    }

    byte[] archiveFrom(Path h5) throws Exception {
        JsonNode k2 = KerasTestFiles.modelConfig(h5);
        ObjectNode cfg = KerasTestFiles.toKeras3Config(k2);
        return KerasTestFiles.keras3Zip(cfg, keras3Vars(k2, KerasTestFiles.modelWeights(h5)), tmp);
    }

    /** The weights of each layer under keras saving_lib's path for it. */
    static Map<String, List<H5Weight>> keras3Vars(JsonNode keras2Config, Map<String, List<H5Weight>> weights) {
        boolean sequential = keras2Config.get("class_name").asText().equals("Sequential");
        Map<String, Integer> used = new HashMap<>();
        Map<String, List<H5Weight>> out = new LinkedHashMap<>();
        for (JsonNode l : keras2Config.get("config").get("layers")) {
            String cls = l.get("class_name").asText();
            if (sequential && cls.equals("InputLayer")) {
                continue;
            }
            String snake = KerasTestFiles.snake(cls);
            int n = used.merge(snake, 1, Integer::sum) - 1;
            String path = "layers/" + (n == 0 ? snake : snake + "_" + n);
            List<H5Weight> ws = weights.getOrDefault(l.get("config").get("name").asText(), List.of());
            if (!ws.isEmpty()) {
                out.put(path, ws);
            }
        }
        return out;
    }

    static byte[] zipOf(Map<String, byte[]> entries) throws Exception {
        java.io.ByteArrayOutputStream bout = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bout)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return bout.toByteArray();
    }
}

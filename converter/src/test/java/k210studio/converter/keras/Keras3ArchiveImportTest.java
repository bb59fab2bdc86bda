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

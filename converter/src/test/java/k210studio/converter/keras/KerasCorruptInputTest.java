package k210studio.converter.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt, truncated and fuzzed Keras files must end in a {@link KerasImportException} with a
 * message (or, for harmless mutations, a successful import): never another exception, an
 * OutOfMemoryError or a hang. Seeds are fixed so failures reproduce.
 */
class KerasCorruptInputTest {
    @TempDir
    Path tmp;

    @Test
    void truncatedH5FilesGiveAClearError() throws Exception {
        byte[] full = Files.readAllBytes(KerasFixtureImportTest.MNIST);
        for (double frac : new double[] {0.0005, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99}) {
            byte[] cut = Arrays.copyOf(full, (int) (full.length * frac));
            assertThatThrownBy(() -> KerasImporter.importBytes(cut, "cut.h5")).as("cut at %s", frac)
                    .isInstanceOf(KerasImportException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("corrupt", "truncated", "not an HDF5", "not a Keras"));
        }
    }

    @Test
    void randomlyMutatedH5FilesNeverEscapeAsAnotherException() {
        Map<String, Integer> outcomes = fuzz(KerasFixtureImportTest.MNIST, 400, 11L, null);
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("ok") || k.equals("KerasImportException"));
        assertThat(outcomes.get("KerasImportException")).isPositive();
    }

    @Test
    void mutationsOfTheHdf5MetadataNeverEscapeAsAnotherException() throws Exception {
        // the first few KiB hold the superblock, the root group and the attributes: hit them hard
        Map<String, Integer> outcomes = fuzz(KerasFixtureImportTest.AUDIO, 300, 12L, 8192);
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("ok") || k.equals("KerasImportException"));
    }

    @Test
    void mutatedKeras3ConfigAndArchiveNeverEscapeAsAnotherException() throws Exception {
        var k2 = KerasTestFiles.modelConfig(KerasFixtureImportTest.MNIST);
        var cfg = KerasTestFiles.toKeras3Config(k2);
        var vars = Keras3ArchiveImportTest.keras3Vars(k2, KerasTestFiles.modelWeights(KerasFixtureImportTest.MNIST));
        String json = KerasTestFiles.JSON.writeValueAsString(cfg);
        byte[] archive = KerasTestFiles.keras3Zip(cfg, vars, tmp);
        byte[] weights = Files.readAllBytes(tmp.resolve("model.weights.h5"));
        String alphabet = "{}[]\",:0123456789-nulltrue ";
        Random r = new Random(13L);
        Map<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < 150; i++) {
                char[] c = json.toCharArray();
                for (int m = 0; m < 1 + r.nextInt(4); m++) {
                    c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
                }
                byte[] zip = Keras3ArchiveImportTest.zipOf(Map.of("config.json", new String(c).getBytes(StandardCharsets.UTF_8),
                        "model.weights.h5", weights));
                outcomes.merge(outcome(zip), 1, Integer::sum);
            }
        });
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("ok") || k.equals("KerasImportException"));
        assertThat(outcomes.get("KerasImportException")).isPositive();

        Map<String, Integer> zipOutcomes = new TreeMap<>();
        for (int i = 0; i < 150; i++) {
            byte[] b = archive.clone();
            for (int m = 0; m < 1 + r.nextInt(8); m++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            if (i % 5 == 0) {
                b = Arrays.copyOf(b, r.nextInt(b.length));
            }
            zipOutcomes.merge(outcome(b), 1, Integer::sum);
        }
        assertThat(zipOutcomes.keySet()).allMatch(k -> k.equals("ok") || k.equals("KerasImportException"));
    }

    @Test
    void structurallyFuzzedModelConfigsGiveAClearErrorOrAWorkingImport() throws Exception {
        // replace one or two values of the real model_config (sizes, strides, padding, names, node references)
        // with hostile ones and keep the real weights: only a KerasImportException or a successful import may come out
        com.fasterxml.jackson.databind.JsonNode original = KerasTestFiles.modelConfig(KerasFixtureImportTest.MNIST);
        var weights = KerasTestFiles.modelWeights(KerasFixtureImportTest.MNIST);
        Object[] hostile = {-1, 0, 1, 3, Integer.MAX_VALUE, 1_000_000_000L, 2.5, null, "same", "causal", "bogus", "", "ftr0a", true};
        Random r = new Random(21L);
        Map<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            for (int i = 0; i < 120; i++) {
                com.fasterxml.jackson.databind.JsonNode cfg = original.deepCopy();
                java.util.List<com.fasterxml.jackson.databind.JsonNode> containers = new java.util.ArrayList<>();
                collectContainers(cfg, containers);
                for (int m = 0; m < 1 + r.nextInt(2); m++) {
                    com.fasterxml.jackson.databind.JsonNode c = containers.get(r.nextInt(containers.size()));
                    com.fasterxml.jackson.databind.JsonNode v = KerasTestFiles.JSON.valueToTree(hostile[r.nextInt(hostile.length)]);
                    if (c instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.size() > 0) {
                        java.util.List<String> keys = new java.util.ArrayList<>();
                        o.fieldNames().forEachRemaining(keys::add);
                        o.set(keys.get(r.nextInt(keys.size())), v);
                    } else if (c instanceof com.fasterxml.jackson.databind.node.ArrayNode a && a.size() > 0) {
                        a.set(r.nextInt(a.size()), v);
                    }
                }
                Path f = tmp.resolve("fuzzed" + i + ".h5");
                KerasTestFiles.writeKeras2(f, KerasTestFiles.JSON.writeValueAsString(cfg), weights);
                outcomes.merge(outcome(Files.readAllBytes(f)), 1, Integer::sum);
            }
        });
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("ok") || k.equals("KerasImportException"));
        assertThat(outcomes.get("KerasImportException")).isGreaterThan(10);
    }

    private static void collectContainers(com.fasterxml.jackson.databind.JsonNode n, java.util.List<com.fasterxml.jackson.databind.JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(c -> collectContainers(c, out));
        }
    }

    private static Map<String, Integer> fuzz(Path file, int cases, long seed, Integer region) {
        Map<String, Integer> outcomes = new TreeMap<>();
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            byte[] orig = Files.readAllBytes(file);
            Random r = new Random(seed);
            for (int i = 0; i < cases; i++) {
                byte[] b = orig.clone();
                int bound = region == null ? b.length : Math.min(region, b.length);
                for (int m = 0; m < 1 + r.nextInt(16); m++) {
                    b[r.nextInt(bound)] = (byte) r.nextInt(256);
                }
                if (r.nextInt(6) == 0) {
                    b = Arrays.copyOf(b, 8 + r.nextInt(b.length - 8));
                }
                outcomes.merge(outcome(b), 1, Integer::sum);
            }
        });
        return outcomes;
    }

    private static String outcome(byte[] b) {
        try {
            KerasImporter.importBytes(b, "fuzzed");
            return "ok";
        } catch (KerasImportException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                fail("KerasImportException without a message");
            }
            return "KerasImportException";
        } catch (Throwable t) {
            t.printStackTrace();
            return t.getClass().getName();
        }
    }
}

package k210studio.ir.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins the .k210proj format: exact round trip of graph, weights and settings; atomic save; clear load errors. */
class ProjectFileTest {
    @TempDir
    Path dir;

    static Project sample() {
        Graph g = EveryLayerGraph.build(7);
        ProjectSettings s = new ProjectSettings("Every layer", "v4",
                new Preprocessing(List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f), ChannelOrder.BGR, 1f / 255f),
                List.of("cat", "dog", "bird"), List.of("images/cat.bmp", "my photo.jpg"));
        return new Project(g, s);
    }

    @Test
    void saveThenLoadGivesAnEqualGraphWeightsAndSettings() throws Exception {
        Project p = sample();
        Path f = dir.resolve("every" + ProjectFile.EXTENSION);
        ProjectFile.save(p, f);
        Project back = ProjectFile.load(f);

        assertThat(back.graph()).isEqualTo(p.graph());
        assertThat(back.settings()).isEqualTo(p.settings());
        assertThat(back.settings().target()).isEqualTo("V4");
        assertThat(back).isEqualTo(p);
        // Graph.equals compares layers (records: params, weights, notes), edges in port order, outputs, positions
        for (Layer l : p.graph().layers()) {
            Layer m = back.graph().layer(l.id());
            assertThat(m.weights()).isEqualTo(l.weights());
            assertThat(m.weights().keySet()).containsExactlyElementsOf(l.weights().keySet());
            assertThat(m.notes()).isEqualTo(l.notes());
            assertThat(back.graph().inputsOf(l.id())).containsExactlyElementsOf(p.graph().inputsOf(l.id()));
        }
        assertThat(back.graph().explicitOutputs()).containsExactlyElementsOf(p.graph().explicitOutputs());
        assertThat(back.graph().topologicalOrder()).isEqualTo(p.graph().topologicalOrder());
        // new ids continue after the loaded ones
        assertThat(back.graph().contains(back.graph().newId())).isFalse();
    }

    @Test
    void nullableAndTypedParamsSurviveTheRoundTrip() throws Exception {
        Project back = ProjectFile.fromBytes(ProjectFile.toBytes(sample()), "mem");
        Graph g = back.graph();
        assertThat(((k210studio.ir.layer.ReLU) g.layerNamed("re_lu").params()).maxValue()).isNull();
        assertThat(((k210studio.ir.layer.ReLU) g.layerNamed("re_lu_1").params()).maxValue()).isEqualTo(6f);
        assertThat(((k210studio.ir.layer.Input) g.layerNamed("input_1").params()).shape()).isEqualTo(TensorShape.hwc(16, 12, 3));
        assertThat(((k210studio.ir.layer.Reshape) g.layerNamed("reshape").params()).targetShape()).isEqualTo(TensorShape.of(2, -1));
        assertThat(((k210studio.ir.layer.Activation) g.layerNamed("activation").params()).fn()).isEqualTo(ActivationFn.leakyRelu(0.2f));
    }

    /** Every kind of the sealed catalog, built reflectively with plausible values, must round-trip through project.json. */
    @Test
    void everyLayerKindOfTheCatalogRoundTrips() throws Exception {
        for (Class<?> kind : LayerParams.class.getPermittedSubclasses()) {
            LayerParams p = plausible(kind);
            Graph g = new Graph("one");
            g.add("x", p);
            Project back = ProjectFile.fromBytes(ProjectFile.toBytes(Project.of(g)), kind.getSimpleName());
            assertThat(back.graph().layers().get(0).params()).as(kind.getSimpleName()).isEqualTo(p);
        }
    }

    private static LayerParams plausible(Class<?> kind) throws Exception {
        return ParamsOfKind.make(kind, (t, i) -> {
            if (t == int.class) {
                return 2 + i;
            } else if (t == float.class) {
                return 0.25f;
            } else if (t == boolean.class) {
                return i % 2 == 0;
            } else if (t == Float.class) {
                return null;
            } else if (t.isEnum()) {
                Object[] cs = t.getEnumConstants();
                return cs[cs.length - 1];
            } else if (t == TensorShape.class) {
                return TensorShape.hwc(3, 4, 5);
            } else if (t == ActivationFn.class) {
                return ActivationFn.leakyRelu(0.1f);
            }
            return fail("ProjectFileTest does not know how to make a " + t + " for " + kind.getSimpleName()
                    + ": extend plausible()");
        });
    }

    @Test
    void savingTheSameProjectTwiceGivesTheSameBytes() {
        assertThat(ProjectFile.toBytes(sample())).isEqualTo(ProjectFile.toBytes(sample()));
    }

    @Test
    void theContainerHoldsProjectJsonAndLittleEndianFloatWeights() throws Exception {
        Project p = sample();
        Map<String, byte[]> entries = unzip(ProjectFile.toBytes(p));
        assertThat(entries.keySet()).containsExactly("project.json", "weights.bin");
        JsonNode root = ProjectJson.MAPPER.readTree(entries.get("project.json"));
        assertThat(root.get("formatVersion").intValue()).isEqualTo(ProjectFile.FORMAT_VERSION);
        assertThat(root.at("/settings/target").asText()).isEqualTo("V4");
        assertThat(root.at("/settings/preprocessing/channelOrder").asText()).isEqualTo("BGR");
        JsonNode first = root.at("/weights/0");
        Layer conv = p.graph().layerNamed("conv2d");
        assertThat(first.get("layer").asText()).isEqualTo(conv.id());
        assertThat(first.get("key").asText()).isEqualTo("kernel");
        assertThat(first.get("offset").asLong()).isZero();
        assertThat(first.get("length").asLong()).isEqualTo(3 * 5 * 3 * 8 * 4);
        byte[] w = entries.get("weights.bin");
        float f0 = Float.intBitsToFloat((w[0] & 0xff) | (w[1] & 0xff) << 8 | (w[2] & 0xff) << 16 | (w[3] & 0xff) << 24);
        assertThat(f0).isEqualTo(conv.weight("kernel").get(0));
        assertThat(root.at("/graph/layers/0/params/type").asText()).isEqualTo("InputLayer");
        assertThat(root.at("/graph/layers/0/params/shape/dims").toString()).isEqualTo("[16,12,3]");
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("p.k210proj");
        Files.writeString(f, "old content");
        ProjectFile.save(sample(), f);
        ProjectFile.save(sample(), f);
        try (var s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("p.k210proj");
        }
        assertThat(ProjectFile.load(f).graph()).isEqualTo(sample().graph());
    }

    @Test
    void aNewFileIsWorldReadableAndAnOverwrittenFileKeepsItsPermissions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path ref = Files.createFile(dir.resolve("ordinary-file"));
        String ordinary = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(ref));
        Files.delete(ref);
        Path f = dir.resolve("perm.k210proj");
        ProjectFile.save(sample(), f);
        // the permissions of any new file under the process umask (rw-r--r-- under the usual 022), not owner-only
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo(ordinary);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        ProjectFile.save(sample(), f);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-rw----");
    }

    @Test
    void saveIntoAMissingFolderSaysSo() {
        assertThatThrownBy(() -> ProjectFile.save(sample(), dir.resolve("nope/p.k210proj")))
                .isInstanceOf(ProjectFileException.class).hasMessageContaining("does not exist");
    }

    @Test
    void emptyGraphAndDefaultSettingsRoundTrip() throws Exception {
        Project p = Project.of(new Graph("empty"));
        Project back = ProjectFile.fromBytes(ProjectFile.toBytes(p), "empty");
        assertThat(back).isEqualTo(p);
        assertThat(back.settings().preprocessing()).isEqualTo(Preprocessing.unit());
    }

    @Test
    void preprocessingMapsPixelsPerChannel() {
        Preprocessing p = sample().settings().preprocessing();
        assertThat(p.apply(255, 0)).isCloseTo((1f - 0.485f) / 0.229f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(p.apply(0, 2)).isCloseTo(-0.406f / 0.225f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(p.mismatch(3)).isNull();
        assertThat(p.mismatch(1)).contains("3 values but the input has 1 channels");
        assertThatThrownBy(() -> p.meanOf(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none for channel 3");
        // nncase's --input-mean 0.5 --input-std 1 on 0..255 pixels
        Preprocessing ncc = new Preprocessing(List.of(0.5f), List.of(1f), ChannelOrder.RGB, 1f / 255f);
        assertThat(ncc.apply(0, 1)).isEqualTo(-0.5f);
        assertThat(ncc.mismatch(3)).isNull();
        assertThatThrownBy(() -> new Preprocessing(List.of(0f), List.of(0f), ChannelOrder.RGB, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
        assertThatThrownBy(() -> new ProjectSettings(" ", "V3", null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ load errors

    @Test
    void aNewerFormatVersionAsksForAnUpdate() throws Exception {
        byte[] f = withJson(sample(), root -> root.put("formatVersion", 7));
        assertLoadFails(f, "newer K210 Studio", "format version 7", "Update K210 Studio");
    }

    @Test
    void missingFormatVersionIsRejected() throws Exception {
        assertLoadFails(withJson(sample(), root -> root.remove("formatVersion")), "no \"formatVersion\"");
        assertLoadFails(withJson(sample(), root -> root.put("formatVersion", "one")), "whole number");
    }

    @Test
    void aFileThatIsNotAZipSaysWhatItIs() throws Exception {
        assertLoadFails("hello world".getBytes(StandardCharsets.UTF_8), "not a K210 Studio project", "ZIP", "Import");
        assertLoadFails("{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8), "plain JSON");
        assertLoadFails(new byte[0], "empty");
        Path tflite = dir.resolve("model.tflite");
        Files.write(tflite, new byte[] {0x1c, 0, 0, 0, 'T', 'F', 'L', '3'});
        assertThatThrownBy(() -> ProjectFile.load(tflite)).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("model.tflite").hasMessageContaining("use Import");
    }

    @Test
    void aMissingFileOrAFolderIsNamed() {
        assertThatThrownBy(() -> ProjectFile.load(dir.resolve("gone.k210proj"))).isInstanceOf(ProjectFileException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ProjectFile.load(dir)).isInstanceOf(ProjectFileException.class).hasMessageContaining("folder");
    }

    @Test
    void aZipWithoutProjectJsonIsNotAProject() throws Exception {
        assertLoadFails(zip(Map.of("readme.txt", "hi".getBytes(StandardCharsets.UTF_8))), "without project.json", "readme.txt");
        // an empty ZIP archive (only the end record)
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        new ZipOutputStream(bo).close();
        assertLoadFails(bo.toByteArray(), "empty ZIP");
    }

    @Test
    void malformedJsonSaysWhere() throws Exception {
        byte[] json = "{\n  \"formatVersion\": 1,\n  \"graph\": { \"layers\": [ }\n}".getBytes(StandardCharsets.UTF_8);
        assertLoadFails(zip(Map.of("project.json", json)), "not valid JSON", "line 3");
    }

    @Test
    void aWrongValueIsReportedWithItsJsonPath() throws Exception {
        byte[] f = withJson(sample(), root -> ((ObjectNode) root.at("/weights/2")).put("offset", "far"));
        assertLoadFails(f, "weights[2].offset");
        byte[] g = withJson(sample(), root -> ((ObjectNode) root.at("/settings")).put("target", "V5"));
        assertLoadFails(g, "settings", "\"V3\" or \"V4\"");
    }

    @Test
    void anUnknownLayerTypeNamesTheLayerAndTheKnownTypes() throws Exception {
        byte[] f = withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).put("type", "Conv3D"));
        assertLoadFails(f, "unknown layer type \"Conv3D\"", "\"conv2d\"", "Conv2D, DepthwiseConv2D", "newer version");
    }

    @Test
    void badLayerParamsAreExplained() throws Exception {
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).put("filters", 0)),
                "invalid parameters", "filters must be ≥ 1, got 0");
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).remove("filters")),
                "\"filters\" is missing");
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).put("padding", "SAMEE")),
                "SAMEE", "[SAME, VALID]");
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).put("filterz", 3)),
                "unknown parameter \"filterz\"");
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1/params")).remove("type")),
                "without a \"type\"");
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/1")).remove("params")),
                "no \"params\"");
    }

    @Test
    void aWeightsSizeMismatchIsReported() throws Exception {
        Project p = sample();
        Map<String, byte[]> e = unzip(ProjectFile.toBytes(p));
        byte[] w = e.get("weights.bin");
        Map<String, byte[]> cut = new LinkedHashMap<>(e);
        cut.put("weights.bin", java.util.Arrays.copyOf(w, w.length - 8));
        assertLoadFails(zip(cut), "weights size mismatch", "has only " + (w.length - 8) + " bytes");
        Map<String, byte[]> longer = new LinkedHashMap<>(e);
        longer.put("weights.bin", java.util.Arrays.copyOf(w, w.length + 4));
        assertLoadFails(zip(longer), "weights size mismatch", "covers only " + w.length);
        assertLoadFails(withJson(p, root -> ((ObjectNode) root.at("/weights/0")).put("length", 12)),
                "weights size mismatch", "shape [3, 5, 3, 8]", "says 12 bytes");
        assertLoadFails(withJson(p, root -> ((ObjectNode) root.at("/weights/0")).put("offset", Long.MAX_VALUE - 8)),
                "weights size mismatch", "has only " + w.length + " bytes");
        Map<String, byte[]> noWeights = new LinkedHashMap<>(e);
        noWeights.remove("weights.bin");
        assertLoadFails(zip(noWeights), "no weights.bin");
        assertLoadFails(withJson(p, root -> ((ObjectNode) root.at("/weights/0")).put("layer", "L999")),
                "layer id \"L999\", which is not in the file");
        assertLoadFails(withJson(p, root -> ((ArrayNode) root.get("weights")).add(root.at("/weights/0").deepCopy())),
                "listed twice");
    }

    @Test
    void aDanglingEdgeIsNamed() throws Exception {
        byte[] f = withJson(sample(), root -> ((ArrayNode) root.at("/graph/layers/2/inputs")).set(0, "L404"));
        assertLoadFails(f, "\"depthwise_conv2d\"", "\"L404\"", "dangling edge");
        byte[] o = withJson(sample(), root -> ((ArrayNode) root.at("/graph/outputs")).add("L405"));
        assertLoadFails(o, "outputs", "\"L405\"", "dangling");
    }

    @Test
    void aCycleIsNamedLayerByLayer() throws Exception {
        // conv2d (layer 1) takes its input from separable_conv2d (layer 3): conv2d → depthwise → separable → conv2d
        byte[] f = withJson(sample(), root -> {
            String sep = root.at("/graph/layers/3/id").asText();
            ((ArrayNode) root.at("/graph/layers/1/inputs")).set(0, sep);
        });
        assertLoadFails(f, "cycle", "conv2d → depthwise_conv2d → separable_conv2d → conv2d");
        byte[] self = withJson(sample(), root -> ((ArrayNode) root.at("/graph/layers/1/inputs")).set(0, root.at("/graph/layers/1/id").asText()));
        assertLoadFails(self, "cycle", "conv2d → conv2d");
    }

    @Test
    void aPositionThatIsNotFiniteIsDroppedNotFatal() throws Exception {
        Project p = sample();
        String conv = p.graph().layerNamed("conv2d").id();
        p.graph().setPosition(conv, new k210studio.ir.graph.Position(Double.NaN, 3));
        Project back = ProjectFile.fromBytes(ProjectFile.toBytes(p), "nan");
        assertThat(back.graph().position(conv)).isNull();
        assertThat(back.graph().layer(conv)).isEqualTo(p.graph().layer(conv));
    }

    @Test
    void duplicateIdsAreRejected() throws Exception {
        assertLoadFails(withJson(sample(), root -> ((ObjectNode) root.at("/graph/layers/2")).put("id", root.at("/graph/layers/1/id").asText())),
                "share the id");
    }

    /** The editor may change a merge into a one-input layer (its edges stay, problems() reports them): such a file loads as saved. */
    @Test
    void aLayerWithMoreInputsThanItTakesLoadsAsSavedAndIsReported() throws Exception {
        Project p = sample();
        Graph g = p.graph();
        Layer cat = g.layerNamed("concatenate");
        g.replaceLayer(cat.withParams(new k210studio.ir.layer.Dense(3, true, ActivationFn.LINEAR)));
        assertThat(g.problems()).extracting(Throwable::getMessage).anyMatch(m -> m.contains("concatenate (Dense) takes at most 1 input(s), has 2"));
        Project back = ProjectFile.fromBytes(ProjectFile.toBytes(p), "over");
        assertThat(back).isEqualTo(p);
        assertThat(back.graph().layer(cat.id()).params()).isInstanceOf(k210studio.ir.layer.Dense.class);
        assertThat(back.graph().problems()).extracting(Throwable::getMessage).isEqualTo(g.problems().stream().map(Throwable::getMessage).toList());
    }

    @Test
    void everyTruncationGivesAClearError() throws Exception {
        byte[] full = ProjectFile.toBytes(sample());
        int step = Math.max(1, full.length / 400);
        for (int n = 0; n < full.length; n += step) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            try {
                ProjectFile.fromBytes(cut, "cut.k210proj");
                fail("a file cut to " + n + " of " + full.length + " bytes loaded");
            } catch (ProjectFileException e) {
                assertThat(e.getMessage()).startsWith("Cannot open project cut.k210proj: ").doesNotContain("Exception:");
            }
        }
    }

    /** Seeded random byte damage anywhere in the container: the load either still gives the same project or fails cleanly. */
    @Test
    void fuzzedContainerBytesNeverEscapeAsOtherExceptions() throws Exception {
        Project p = sample();
        byte[] full = ProjectFile.toBytes(p);
        Random r = new Random(42);
        int failed = 0;
        for (int round = 0; round < 300; round++) {
            byte[] b = full.clone();
            int flips = 1 + r.nextInt(8);
            for (int k = 0; k < flips; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            try {
                Project back = ProjectFile.fromBytes(b, "fuzz.k210proj");
                assertThat(back.graph()).isEqualTo(p.graph());
            } catch (ProjectFileException e) {
                assertThat(e.getMessage()).startsWith("Cannot open project fuzz.k210proj: ");
                failed++;
            }
        }
        assertThat(failed).isGreaterThan(200);
    }

    /** Seeded damage inside project.json (with a valid ZIP around it): only clear ProjectFileExceptions. */
    @Test
    void fuzzedProjectJsonNeverEscapesAsOtherExceptions() throws Exception {
        Project p = sample();
        Map<String, byte[]> e = unzip(ProjectFile.toBytes(p));
        byte[] json = e.get("project.json");
        Random r = new Random(4242);
        byte[] alphabet = "{}[],:\"-0123456789eE.nulltruefalse Lx".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 400; round++) {
            byte[] j = json.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                j[r.nextInt(j.length)] = alphabet[r.nextInt(alphabet.length)];
            }
            Map<String, byte[]> m = new LinkedHashMap<>(e);
            m.put("project.json", j);
            try {
                ProjectFile.fromBytes(zip(m), "fuzz.k210proj");
            } catch (ProjectFileException ex) {
                assertThat(ex.getMessage()).startsWith("Cannot open project fuzz.k210proj: ").doesNotContain("Exception");
            }
        }
    }

    @Test
    void isProjectFileTellsProjectsFromOtherFiles() throws Exception {
        Path p = dir.resolve("a.k210proj");
        ProjectFile.save(sample(), p);
        assertThat(ProjectFile.isProjectFile(p)).isTrue();
        Path other = dir.resolve("b.zip");
        Files.write(other, zip(Map.of("readme.txt", new byte[] {1})));
        assertThat(ProjectFile.isProjectFile(other)).isFalse();
        Path text = dir.resolve("c.k210proj");
        Files.writeString(text, "not a zip");
        assertThat(ProjectFile.isProjectFile(text)).isFalse();
        Path cut = dir.resolve("d.k210proj");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(p), 100));
        assertThat(ProjectFile.isProjectFile(cut)).isFalse();
        assertThat(ProjectFile.isProjectFile(dir)).isFalse();
        assertThat(ProjectFile.isProjectFile(dir.resolve("missing"))).isFalse();
    }

    @Test
    void loadingFromAStreamNamesTheSource() throws Exception {
        assertThatThrownBy(() -> ProjectFile.read(new ByteArrayInputStream("nope".getBytes(StandardCharsets.UTF_8)), "samples/x.k210proj"))
                .isInstanceOf(ProjectFileException.class).hasMessageStartingWith("Cannot open project samples/x.k210proj:");
    }

    // ------------------------------------------------------------------ helpers

    interface JsonEdit {
        void apply(ObjectNode root) throws Exception;
    }

    static byte[] withJson(Project p, JsonEdit edit) throws Exception {
        Map<String, byte[]> e = unzip(ProjectFile.toBytes(p));
        ObjectNode root = (ObjectNode) ProjectJson.MAPPER.readTree(e.get("project.json"));
        edit.apply(root);
        Map<String, byte[]> m = new LinkedHashMap<>(e);
        m.put("project.json", ProjectJson.MAPPER.writeValueAsBytes(root));
        return zip(m);
    }

    static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bo)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bo.toByteArray();
    }

    private void assertLoadFails(byte[] file, String... fragments) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ProjectFile.EXTENSION);
        Files.write(f, file);
        try {
            ProjectFile.load(f);
            fail("loaded a bad file; expected a message with " + List.of(fragments));
        } catch (ProjectFileException e) {
            assertThat(e.getMessage()).startsWith("Cannot open project " + f.getFileName() + ": ");
            for (String s : fragments) {
                assertThat(e.getMessage()).contains(s);
            }
        }
    }
}

package k210studio.converter.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import k210studio.assets.Assets;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.keras.KerasImportException;
import k210studio.converter.keras.KerasImporter;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.TensorInfo;
import k210studio.converter.tflite.TensorType;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.project.ProjectFileException;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.testing.SharedFixtures;

/**
 * What the conformance suite checks, enumerated from the folders (files added later join automatically): the V4
 * kmodels of the fixtures ({@code fixtures/kmodel/v4}, V4 files of {@code fixtures/pairs}), and every model the
 * compiler can be given — the TFLite and Keras fixtures, the bundled sample projects and the templates — each to be
 * compiled once for V4 with real calibration images. A model that does not import or compile is a {@link Skip} with
 * the compiler's reason.
 */
final class ConformanceCorpus {
    /** A model to compile: a name for the report and how to load it. */
    record Source(String name, Loader loader) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A loaded model with the pixel preprocessing x = (pixel − mean) / std its inputs expect. */
    record Loaded(Graph graph, float mean, float std) {
    }

    @FunctionalInterface
    interface Loader {
        Loaded load() throws Skip, IOException;
    }

    /** Why a model gives no V4 kmodel (the importer's or the compiler's message). */
    static final class Skip extends Exception {
        private static final long serialVersionUID = 1L;

        Skip(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** A V4 kmodel made by the compiler, with the preprocessing of its source (for float image inputs). */
    record Compiled(byte[] kmodel, float mean, float std) {
    }

    /**
     * Pixel preprocessing of the float fixtures as their sources document it (fixtures/README.md §2): MobileNet
     * x/127.5 − 1, the ULFFD detector x/255 − 0.5, the audio CNN raw pixels; the others take x/255, the CLI's default.
     */
    private static final Map<String, float[]> KNOWN_PREPROCESSING = Map.of(
            "tinymaix_mbnet128_0.25_float.tflite", new float[] {127.5f, 127.5f},
            "tinymaix_mbnet128_0.25.h5", new float[] {127.5f, 127.5f},
            "nncase_ulffd_landmark.tflite", new float[] {127.5f, 255f},
            "kendryte_model_compiler_audio_cnn_128x64.h5", new float[] {0f, 1f});
    private static final float[] CLI_DEFAULT = {0f, 255f};

    private ConformanceCorpus() {
    }

    /** The V4 kmodels among the fixtures, sorted by path. */
    static List<Path> fixtureKmodels() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("kmodel/v4", "pairs")) {
            for (Path p : list(SharedFixtures.fixture(dir), ".kmodel")) {
                if (isV4(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static boolean isV4(Path p) throws IOException {
        try {
            return KmodelFiles.detectVersion(Files.readAllBytes(p)) == 4;
        } catch (KmodelFormatException e) {
            return false;
        }
    }

    /** Every model the compiler may be given: TFLite and Keras fixtures, bundled samples, templates. */
    static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        for (Path p : list(SharedFixtures.fixture("tflite"), ".tflite")) {
            out.add(new Source("tflite/" + p.getFileName(), () -> tflite(p)));
        }
        for (String ext : List.of(".h5", ".keras")) {
            for (Path p : list(SharedFixtures.fixture("keras"), ext)) {
                out.add(new Source("keras/" + p.getFileName(), () -> keras(p)));
            }
        }
        // networks no fixture holds, for what the compiler newly emits (issue 12): CPU conv2d for 5×5/7×7 kernels,
        // and a BlazeFace residual block whose channel PAD became a 1×1 KPU conv
        out.add(new Source("synthetic 5×5/7×7 CPU convs", () -> new Loaded(k210studio.converter.compile.CpuConvCompileTest.network(), 0f, 255f)));
        out.add(new Source("synthetic BlazeFace channel-pad block", () -> blazeBlock()));
        List<byte[]> bundled = new ArrayList<>();
        for (String name : Assets.samples()) {
            byte[] bytes;
            try (InputStream in = Assets.open(name)) {
                bytes = in.readAllBytes();
            }
            bundled.add(bytes);
            out.add(new Source("assets/" + name, () -> project(bytes, name)));
        }
        for (String name : SampleNetworks.NAMES) {
            byte[] bytes = ProjectFile.toBytes(SampleNetworks.project(name));
            // a template is compiled on its own only when it is not byte for byte a bundled sample project
            if (bundled.stream().noneMatch(b -> java.util.Arrays.equals(b, bytes))) {
                out.add(new Source("template " + name, () -> project(bytes, name)));
            }
        }
        return out;
    }

    /** Templates that are byte for byte a bundled sample project (so compiled once, under the sample's name). */
    static List<String> templatesSameAsSamples() throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : SampleNetworks.NAMES) {
            byte[] bytes = ProjectFile.toBytes(SampleNetworks.project(name));
            for (String s : Assets.samples()) {
                try (InputStream in = Assets.open(s)) {
                    if (java.util.Arrays.equals(in.readAllBytes(), bytes)) {
                        out.add(name + " = assets/" + s);
                    }
                }
            }
        }
        return out;
    }

    /** Compiles the model for V4 with real calibration images (or the real vectors of a vector input). */
    static Compiled compileV4(Source source) throws Skip, IOException {
        Loaded m = source.loader().load();
        Graph g = m.graph();
        if (g.inputIds().size() != 1) {
            throw new Skip("a kmodel has one input; the model has " + g.inputIds().size(), null);
        }
        TensorShape in = ((Input) g.layer(g.inputIds().get(0)).params()).shape();
        List<Tensor> calib = new ArrayList<>();
        try {
            if (in.isImage() && (in.c() == 1 || in.c() == 3)) {
                for (Path f : ConformanceInputs.ImageSet.forInput(in.c(), in.h(), in.w()).calibrationFiles()) {
                    calib.add(CalibrationDataset.image(f, in, m.mean(), m.std()));
                }
            } else {
                for (float[] v : ConformanceInputs.vectors(in.elements())) {
                    calib.add(new Tensor(in.dims(), v.clone()));
                }
                if (calib.isEmpty()) {
                    throw new Skip("no real calibration data for an input of shape " + in
                            + " (the fixtures give images and vectors of 4 or 1 values)", null);
                }
            }
            CompileOptions opt = CompileOptions.defaults(QuantRules.V4).withPreprocessing(m.mean(), m.std());
            return new Compiled(K210Compiler.compile(g, calib, opt, null).kmodel(), m.mean(), m.std());
        } catch (CompileException e) {
            throw new Skip(e.getMessage(), e);
        }
    }

    private static Loaded tflite(Path p) throws Skip, IOException {
        ImportedModel m;
        try {
            m = TfliteImporter.importFile(p);
        } catch (TfliteFormatException e) {
            throw new Skip("does not import: " + e.getMessage(), e);
        }
        if (m.hasErrors()) {
            throw new Skip("does not import: " + m.diagnostics(), null);
        }
        String file = p.getFileName().toString();
        float[] pre = KNOWN_PREPROCESSING.getOrDefault(file, CLI_DEFAULT);
        if (!m.inputs().isEmpty() && m.inputs().get(0).quantized()) {
            pre = quantizedInput(m.inputs().get(0));
        }
        return new Loaded(m.graph(), pre[0], pre[1]);
    }

    /**
     * The pixel mapping a quantized TFLite input implies: uint8 q = pixel gives x = (pixel − zp)·scale; int8
     * q = pixel − 128 gives x = (pixel − 128 − zp)·scale.
     */
    static float[] quantizedInput(TensorInfo in) {
        float offset = in.dtype() == TensorType.INT8 ? 128f : 0f;
        return new float[] {offset + in.zeroPoint(), 1f / in.scale()};
    }

    private static Loaded blazeBlock() throws Skip {
        try {
            return new Loaded(TfliteImporter.importBytes(k210studio.converter.tflite.ChannelPadImportTest.blazeBlock(true), "blaze_block")
                    .graph(), 0f, 255f);
        } catch (TfliteFormatException e) {
            throw new Skip("does not import: " + e.getMessage(), e);
        }
    }

    private static Loaded keras(Path p) throws Skip {
        try {
            float[] pre = KNOWN_PREPROCESSING.getOrDefault(p.getFileName().toString(), CLI_DEFAULT);
            return new Loaded(KerasImporter.importFile(p).graph(), pre[0], pre[1]);
        } catch (KerasImportException e) {
            throw new Skip("does not import: " + e.getMessage(), e);
        }
    }

    /** A project with its own preprocessing, in pixel units as {@code k210 compile} reads it. */
    private static Loaded project(byte[] bytes, String name) throws Skip {
        try {
            Project p = ProjectFile.fromBytes(bytes, name);
            Preprocessing pre = p.settings().preprocessing();
            return new Loaded(p.graph(), pre.mean().get(0) / pre.inputScale(), pre.std().get(0) / pre.inputScale());
        } catch (ProjectFileException e) {
            throw new Skip("does not load: " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext))
                    .sorted().toList();
        }
    }
}

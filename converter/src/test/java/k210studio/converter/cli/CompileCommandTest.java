package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code k210 compile} as a user runs it: iris with a folder of raw float32 samples writes a V4 kmodel and a report
 * that kpu-sim runs to the reference; a refused model and an empty dataset leave no output file and exit 1 / 2.
 */
class CompileCommandTest {
    @TempDir
    Path dir;

    int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new K210Cli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void irisCompilesFromRawSamplesAndRuns() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(5.1f).putFloat(3.8f).putFloat(1.9f).putFloat(0.4f);
        Files.write(data.resolve("sample0.bin"), b.array());
        Path out = dir.resolve("iris.kmodel");
        Path report = dir.resolve("report.json");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = run(o, e, "compile", SharedFixtures.fixture("tflite/nncase_iris.tflite").toString(), "--dataset", data.toString(),
                "--target", "v4", "-o", out.toString(), "--report", report.toString(), "--quiet");
        assertThat(code).as(e.toString()).isZero();
        assertThat(o.toString()).contains("wrote").contains("kmodel V4");
        assertThat(Files.readString(report)).contains("\"mainBytes\"").contains("\"steps\"");
        Kmodel m = KmodelFiles.read(out);
        float[] y = m.run(KmodelTensor.ofFloats(new int[] {4}, new float[] {5.1f, 3.8f, 1.9f, 0.4f}), RunOptions.defaults())
                .output(0).toFloatArray();
        assertThat(y[0]).isCloseTo(16.077795f, org.assertj.core.data.Offset.offset(1e-3f));
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
        OrdinaryPermissions.assertOrdinary(out);
        OrdinaryPermissions.assertOrdinary(report);
    }

    @Test
    void aRefusedModelLeavesNoFile() throws Exception {
        Path data = Files.createDirectory(dir.resolve("images"));
        Files.copy(SharedFixtures.fixture("images/face.jpg"), data.resolve("face.jpg"));
        Path out = dir.resolve("ulffd.kmodel");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = run(o, e, "compile", SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite").toString(), "--dataset",
                data.toString(), "--target", "v3", "-o", out.toString(), "--quiet");
        assertThat(code).isEqualTo(1);
        assertThat(e.toString()).contains("kmodel V3 cannot run it").contains("nothing was written");
        assertThat(out).doesNotExist();
    }

    @Test
    void anEmptyDatasetIsABadInput() throws Exception {
        Path data = Files.createDirectory(dir.resolve("empty"));
        Path out = dir.resolve("x.kmodel");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = run(o, e, "compile", SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite").toString(), "--dataset",
                data.toString(), "-o", out.toString(), "--quiet");
        assertThat(code).isEqualTo(2);
        assertThat(e.toString()).contains("holds no images");
        assertThat(out).doesNotExist();
    }
}

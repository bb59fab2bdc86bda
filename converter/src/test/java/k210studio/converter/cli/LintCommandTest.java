package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k210 lint}: the checker's verdicts as a table and as JSON, and the exit codes 0/1/2. */
class LintCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run lint(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new K210Cli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "lint";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void briefProjectIsAllKpuAndExitsZero() throws Exception {
        Path p = dir.resolve("brief" + ProjectFile.EXTENSION);
        ProjectFile.save(SampleNetworks.briefTwoClassProject(), p);
        Run r = lint(p.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("target").asText()).isEqualTo("V3");
        JsonNode conv = null;
        JsonNode dense = null;
        for (JsonNode l : j.get("layers")) {
            if (l.get("name").asText().equals("conv2d")) {
                conv = l;
            }
            if (l.get("name").asText().equals("dense")) {
                dense = l;
            }
        }
        assertThat(conv.get("type").asText()).isEqualTo("Conv2D");
        assertThat(conv.get("v3").get("verdict").asText()).isEqualTo("KPU");
        assertThat(conv.get("v4").get("verdict").asText()).isEqualTo("KPU");
        assertThat(conv.get("fix").isNull()).isTrue();
        assertThat(dense.get("v3").get("verdict").asText()).isEqualTo("CPU");
        assertThat(dense.get("v3").get("reason").asText()).contains("FULLY_CONNECTED");
        assertThat(j.get("memory").get("kpuPeakBytes").asLong()).isEqualTo(983_040L);
        assertThat(j.get("memory").get("mainBytes").asLong()).isPositive();
    }

    @Test
    void needsFixingFailsForV3WithFixesAndPassesForV4() throws Exception {
        Path p = dir.resolve("fixme" + ProjectFile.EXTENSION);
        ProjectFile.save(SampleNetworks.briefNeedsFixingProject(), p);
        Run v3 = lint(p.toString(), "--target", "v3");
        assertThat(v3.code()).isEqualTo(1);
        assertThat(v3.out()).contains("UNSUPPORTED").contains("fix: Insert ZeroPadding2D(((1,1),(1,1)))").contains("LeakyReLU")
                .contains("FAIL").contains("KPU+CPU");
        Run v4 = lint(p.toString(), "--target", "V4", "--json");
        assertThat(v4.code()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(v4.out());
        assertThat(j.get("converts").asBoolean()).isTrue();
        boolean kpuCpu = false;
        for (JsonNode l : j.get("layers")) {
            kpuCpu |= l.get("v4").get("verdict").asText().equals("KPU+CPU");
        }
        assertThat(kpuCpu).isTrue();
    }

    @Test
    void budgetOptionChangesTheMemoryVerdict() throws Exception {
        Path p = dir.resolve("brief" + ProjectFile.EXTENSION);
        ProjectFile.save(SampleNetworks.briefTwoClassProject(), p);
        assertThat(lint(p.toString(), "--budget", "maixpy-full").code()).isEqualTo(0);
        Run bad = lint(p.toString(), "--budget", "huge");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown budget");
    }

    @Test
    void lintsATfliteFixture() {
        Path iris = SharedFixtures.fixture("tflite/nncase_iris.tflite");
        Run r = lint(iris.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        assertThat(r.out()).contains("LAYER").contains("Dense").contains("KPU RAM");
    }

    @Test
    void unreadableInputsExitTwoWithTheCause() throws Exception {
        Path bad = dir.resolve("broken" + ProjectFile.EXTENSION);
        Files.write(bad, new byte[] {'P', 'K', 3, 4, 0, 0, 1});
        Run r = lint(bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ");
        Path other = dir.resolve("model.onnx");
        Files.write(other, new byte[] {1, 2, 3});
        Run o = lint(other.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(".tflite");
        assertThat(lint(dir.resolve("missing.tflite").toString()).err()).contains("file not found");
    }
}

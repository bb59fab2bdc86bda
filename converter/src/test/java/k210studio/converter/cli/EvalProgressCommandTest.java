package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code k210 eval --progress}: the progress line goes to stderr only, and Ctrl+C cancels with a whole partial report. */
class EvalProgressCommandTest extends CliTestBase {

    /** {@code copies} copies of each fixture digit in class folders 0…9. */
    private static Path digits(Path dir, int copies) throws Exception {
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            byte[] png = Files.readAllBytes(Path.of(fx("images/digits/digit_" + d + ".png")));
            for (int i = 0; i < copies; i++) {
                Files.write(f.resolve(String.format("d%04d.png", i)), png);
            }
        }
        return dir;
    }

    @Test
    @DisplayName("--progress --json: stderr counts up to 10/10 images, stdout is exactly one JSON report with the same fields")
    void progressOnStderrOnly(@TempDir Path dir) throws Exception {
        digits(dir, 1);
        int code = cli("eval", fx("tflite/tinymaix_mnist_dw_float.tflite"), "--dataset", dir.toString(), "--json", "--progress");
        assertThat(code).as(err).isZero();
        assertThat(err).contains("evaluating on v3: 0/10 images").contains("10/10 images (100 %), 0:00 left");
        assertThat(out).doesNotContain("images (");
        JsonNode j = new ObjectMapper().readTree(out);
        assertThat(j.get("images").asInt()).isEqualTo(10);
        assertThat(j.get("cancelled").asBoolean()).isFalse();
        assertThat(j.get("classifier").get("floatTop1").asDouble()).isEqualTo(0.8);
        // without --progress (stderr is not a terminal here) no progress line
        assertThat(cli("eval", fx("tflite/tinymaix_mnist_dw_float.tflite"), "--dataset", dir.toString(), "--json")).isZero();
        assertThat(err).doesNotContain("images (");
    }

    /**
     * The real thing: {@code k210 eval} in its own JVM on 1,500 images, one worker; after some images are done the
     * process gets SIGINT (Ctrl+C). The shutdown hook cancels the run, the command prints the partial count on stderr
     * and a whole JSON report of the images done (marked cancelled) on stdout, and exits 130.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("SIGINT during eval: exit 130, 'cancelled: N of 1500' on stderr, a whole JSON report of the N images on stdout")
    void ctrlCCancelsWithAPartialReport(@TempDir Path dir) throws Exception {
        digits(dir.resolve("set"), 150);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path outFile = dir.resolve("out.json");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), K210Cli.class.getName(), "eval", fx("tflite/tinymaix_mnist_dw_float.tflite"),
                "--dataset", dir.resolve("set").toString(), "--json", "--progress", "--threads", "1");
        pb.redirectOutput(outFile.toFile());
        Process p = pb.start();
        Pattern count = Pattern.compile("(\\d+)/1500 images");
        StringBuilder err = new StringBuilder();
        List<String> lines = new ArrayList<>();
        boolean signalled = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            StringBuilder cur = new StringBuilder();
            int ch;
            while ((ch = r.read()) >= 0) {
                err.append((char) ch);
                if (ch == '\r' || ch == '\n') {
                    lines.add(cur.toString());
                    Matcher m = count.matcher(cur);
                    if (!signalled && m.find() && Integer.parseInt(m.group(1)) >= 20) {
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                        signalled = true;
                    }
                    cur.setLength(0);
                } else {
                    cur.append((char) ch);
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(signalled).as(err.toString()).isTrue();
        assertThat(p.exitValue()).as(err.toString()).isEqualTo(130);
        Matcher m = Pattern.compile("cancelled: (\\d+) of 1500 image\\(s\\) evaluated").matcher(err);
        assertThat(m.find()).as(err.toString()).isTrue();
        int done = Integer.parseInt(m.group(1));
        assertThat(done).isBetween(20, 1499);
        JsonNode j = new ObjectMapper().readTree(Files.readString(outFile));
        assertThat(j.get("cancelled").asBoolean()).isTrue();
        assertThat(j.get("images").asInt()).isEqualTo(done);
        assertThat(j.get("classifier").get("labelled").asInt()).isEqualTo(done);
    }
}

package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./k210 run} accepts Keras files (issue [8/8]): the Kendryte audio CNN on raw 0..255 features gives class 4. */
class RunKerasModelTest {

    @Test
    void audioCnnH5RunsOnRawPixels() {
        CommandLine cl = new CommandLine(new K210Cli());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("run", SharedFixtures.fixture("keras/kendryte_model_compiler_audio_cnn_128x64.h5").toString(),
                "--image", SharedFixtures.fixture("images/audio_feature/11111.bmp").toString(), "--mean", "0", "--std", "1",
                "--top", "1", "--json");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"top\"").containsPattern("\"index\"\\s*:\\s*4");
    }
}

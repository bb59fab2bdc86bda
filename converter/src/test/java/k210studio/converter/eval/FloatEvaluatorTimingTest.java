package k210studio.converter.eval;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Prints the evaluator's time on the 128×128 MobileNet into the test output (printed, not asserted: shared machine). */
class FloatEvaluatorTimingTest {

    @Test
    void printsMobilenet128Time() throws Exception {
        String line = FloatEvaluatorBenchmark.measure(SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite"));
        System.out.println("[benchmark] " + line);
        assertThat(line).contains("median");
    }
}

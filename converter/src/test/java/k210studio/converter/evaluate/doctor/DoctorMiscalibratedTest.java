package k210studio.converter.evaluate.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.evaluate.DatasetReader;
import k210studio.converter.evaluate.EvalDataset;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.Evaluator;
import k210studio.converter.evaluate.K210Build;
import k210studio.converter.evaluate.OutputDecoding;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.ChannelOrder;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor on a real model: the TinyMaix MNIST model (V3 and V4) compiled with one middle layer's output range cut to 10%
 * of its calibrated width. The K210 agreement with float drops; the doctor ranks that layer first and suggests
 * widening it; the suggestion, applied, gives back agreement.
 */
class DoctorMiscalibratedTest {
    @TempDir
    static Path dir;

    static Graph graph;
    static BoardInput in;
    static EvalDataset ds;

    /** The ten fixture digits in their class folders, each also shifted by one pixel four ways: 50 images. */
    @BeforeAll
    static void setUp() throws Exception {
        int[][] shifts = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int d = 0; d < 10; d++) {
            Path f = Files.createDirectories(dir.resolve(String.valueOf(d)));
            BufferedImage src = ImageIO.read(SharedFixtures.fixture("images/digits/digit_" + d + ".png").toFile());
            for (int[] s : shifts) {
                BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < src.getHeight(); y++) {
                    for (int x = 0; x < src.getWidth(); x++) {
                        int sx = x - s[0];
                        int sy = y - s[1];
                        boolean inside = sx >= 0 && sy >= 0 && sx < src.getWidth() && sy < src.getHeight();
                        out.setRGB(x, y, inside ? src.getRGB(sx, sy) : src.getRGB(0, 0));
                    }
                }
                ImageIO.write(out, "png", f.resolve("digit_" + d + "_" + (s[0] + 1) + (s[1] + 1) + ".png").toFile());
            }
        }
        graph = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite")).graph();
        in = new BoardInput(28, 28, 1, 0, 255, ChannelOrder.RGB);
        ds = DatasetReader.read(dir, List.of(), 10);
    }

    private static double agreement(K210Compiler.Result c) throws EvaluateException {
        return Evaluator.evaluate(graph, in, c.model(), "k210", ds, OutputDecoding.classifier(), 0, null, null).classifier().agreement();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(QuantRules.class)
    @DisplayName("a middle layer cut to 10% of its range: agreement drops, the doctor ranks it first, widening it raises agreement")
    void miscalibratedLayerRankedFirstAndFixed(QuantRules target) throws Exception {
        K210Build build = new K210Build(CompileOptions.defaults(target).withPreprocessing(0, 255), K210Build.spread(ds.images(), 32));
        K210Compiler.Result good = build.compile(graph, in, null);
        List<String> quantized = QuantDoctor.diagnose(in, build, good, ds, 0, null, null).layers().stream()
                .filter(e -> e.quantRange() != null).map(LayerError::layer).distinct().toList();
        assertThat(quantized).hasSizeGreaterThanOrEqualTo(3);
        String victim = quantized.get(quantized.size() / 2);
        ValueRange real = good.calibration().output(good.prepared().layerNamed(victim).id());
        ValueRange narrow = new ValueRange(real.min(), real.min() + 0.1f * real.width());
        K210Build bad = build.withOptions(build.options().withOutputRange(victim, narrow));
        K210Compiler.Result badCompile = bad.compile(graph, in, null);
        double before = agreement(badCompile);
        double healthy = agreement(good);
        assertThat(before).as("agreement with %s cut to %s (healthy %.2f)", victim, narrow, healthy).isLessThan(healthy);

        DoctorReport r = QuantDoctor.diagnose(in, bad, badCompile, ds, 0, null, null);
        RankedLayer first = r.ranking().get(0);
        assertThat(first.layer()).isEqualTo(victim);
        assertThat(first.agreementCost()).isGreaterThan(r.ranking().get(1).agreementCost());
        assertThat(first.suggestion().kind()).isEqualTo(Suggestion.Kind.WIDEN_RANGE);
        assertThat(first.suggestion().range().width()).isGreaterThan(5 * narrow.width());
        assertThat(r.layers().stream().filter(e -> e.layer().equals(victim)).findFirst().orElseThrow().clipped()).isEqualTo(1.0);
        assertThat(r.top()).isEqualTo(first.suggestion());

        double after = agreement(first.suggestion().apply(bad).compile(graph, in, null));
        System.out.printf("doctor %s: %s cut to %s: agreement healthy %.3f, mis-calibrated %.3f, after the doctor's fix %.3f%n",
                target, victim, narrow, healthy, before, after);
        assertThat(after).isGreaterThan(before);
    }

    /**
     * The sensitivity pass emulates the chip: on the first KPU layer, whose input is the board's uint8 on both sides,
     * the float layer with the compiler's weight quantization (per-channel equalisation, one grid) and its output grid
     * comes within 0.1 dB of the SNR kpu-sim's own output has against float.
     */
    @Test
    @DisplayName("first KPU layer: the fake-quantized SNR of the sensitivity pass equals the kmodel layer's SNR (V3)")
    void sensitivityEmulatesTheFirstLayer() throws Exception {
        K210Build build = new K210Build(CompileOptions.defaults(QuantRules.V3).withPreprocessing(0, 255), K210Build.spread(ds.images(), 32));
        DoctorReport r = QuantDoctor.diagnose(in, build, build.compile(graph, in, null), ds, 0, null, null);
        LayerError first = r.layers().get(0);
        assertThat(first.type()).isEqualTo("K210_CONV");
        RankedLayer same = r.ranking().stream().filter(l -> l.layer().equals(first.layer())).findFirst().orElseThrow();
        assertThat(same.snrDb()).isCloseTo(first.snrDb(), org.assertj.core.api.Assertions.within(0.1));
        assertThat(first.cosine()).isBetween(0.999, 1.0);
    }

    /**
     * Calibrated on two pictures only (digits 0 and 1), the other digits drive layers beyond the calibration's
     * values: the doctor suggests calibrating on images spread over the dataset, and the applied build calibrates on
     * exactly those; its agreement is not lower. The other kinds apply as the options say.
     */
    @Test
    @DisplayName("calibrated on 2 images: the doctor suggests the dataset's images; each kind of suggestion applies to the build")
    void calibrateSuggestionAndApplyKinds() throws Exception {
        List<Path> two = List.of(ds.images().get(0).file(), ds.images().get(5).file());
        K210Build narrow = new K210Build(CompileOptions.defaults(QuantRules.V3).withPreprocessing(0, 255), two);
        K210Compiler.Result c = narrow.compile(graph, in, null);
        DoctorReport r = QuantDoctor.diagnose(in, narrow, c, ds, 0, null, null);
        Suggestion top = r.top();
        assertThat(top.kind()).isEqualTo(Suggestion.Kind.CALIBRATE);
        assertThat(top.images()).isEqualTo(K210Build.spread(ds.images(), 32)).hasSize(32);
        K210Build applied = top.apply(narrow);
        assertThat(applied.calibration()).isEqualTo(top.images());
        assertThat(applied.options()).isEqualTo(narrow.options());
        double before = agreement(c);
        double after = agreement(applied.compile(graph, in, null));
        System.out.printf("doctor calibrate: agreement on 2 calibration images %.3f, on the dataset's 32 %.3f%n", before, after);
        assertThat(after).isGreaterThanOrEqualTo(before);

        Suggestion w16 = new Suggestion(Suggestion.Kind.WEIGHTS_16, "x", "16-bit weights", null, null);
        assertThat(w16.apply(narrow).options().weightBits()).isEqualTo(16);
        assertThat(w16.apply(narrow).calibration()).isEqualTo(two);
        Suggestion widen = new Suggestion(Suggestion.Kind.WIDEN_RANGE, "x", "widen", new ValueRange(-1, 2), null);
        assertThat(widen.apply(narrow).options().outputRanges()).containsEntry("x", new ValueRange(-1, 2));
        Suggestion none = new Suggestion(Suggestion.Kind.NONE, "x", "no change", null, null);
        assertThat(none.applicable()).isFalse();
        assertThat(none.apply(narrow)).isSameAs(narrow);
    }
}

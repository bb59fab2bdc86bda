package k210studio.converter.evaluate.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.evaluate.DatasetReader;
import k210studio.converter.evaluate.EvalDataset;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor on TinyMaix mbnet128 0.25 (V3, ImageNet, mean = std = 127.5) over an unlabelled set of the fixture
 * photos, each also flipped and cropped (24 images): one middle layer cut to 10% of its range is ranked first and
 * widening it raises the agreement.
 */
class DoctorMbnet128Test {
    @TempDir
    Path dir;

    private static BufferedImage variant(BufferedImage src, int v) {
        int w = src.getWidth();
        int h = src.getHeight();
        int cw = v == 0 || v == 1 ? w : w * 4 / 5;
        int ch = v == 0 || v == 1 ? h : h * 4 / 5;
        int x0 = v == 3 || v == 5 ? w - cw : v == 2 ? (w - cw) / 2 : 0;
        int y0 = v == 4 || v == 5 ? h - ch : v == 2 ? (h - ch) / 2 : 0;
        BufferedImage out = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (v == 1) {
            g.drawImage(src, 128, 0, 0, 128, x0, y0, x0 + cw, y0 + ch, null);
        } else {
            g.drawImage(src, 0, 0, 128, 128, x0, y0, x0 + cw, y0 + ch, null);
        }
        g.dispose();
        return out;
    }

    @Test
    @DisplayName("mbnet128 V3 with a middle layer cut to 10% of its range: ranked first, widening it raises agreement")
    void mbnet128() throws Exception {
        Path set = Files.createDirectories(dir.resolve("photos"));
        for (String f : List.of("cat.bmp", "grace_hopper.bmp", "face.jpg", "no_person_96x96.bmp")) {
            BufferedImage src = ImageIO.read(SharedFixtures.fixture("images/" + f).toFile());
            for (int v = 0; v < 6; v++) {
                ImageIO.write(variant(src, v), "png", set.resolve(f.replace('.', '_') + "_" + v + ".png").toFile());
            }
        }
        Graph graph = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite")).graph();
        BoardInput in = new BoardInput(128, 128, 3, 127.5f, 127.5f, ChannelOrder.RGB);
        EvalDataset ds = DatasetReader.read(set, List.of(), 1000);
        assertThat(ds.images()).hasSize(24);
        K210Build build = new K210Build(CompileOptions.defaults(QuantRules.V3).withPreprocessing(127.5f, 127.5f), K210Build.spread(ds.images(), 32));
        K210Compiler.Result good = build.compile(graph, in, null);
        List<String> quantized = QuantDoctor.diagnose(in, build, good, ds, 0, null, null).layers().stream()
                .filter(e -> e.quantRange() != null).map(LayerError::layer).distinct().toList();
        String victim = quantized.get(quantized.size() / 2);
        ValueRange real = good.calibration().output(good.prepared().layerNamed(victim).id());
        ValueRange narrow = new ValueRange(real.min(), real.min() + 0.1f * real.width());
        K210Build bad = build.withOptions(build.options().withOutputRange(victim, narrow));
        K210Compiler.Result badCompile = bad.compile(graph, in, null);
        double healthy = agreement(graph, in, ds, good);
        double before = agreement(graph, in, ds, badCompile);
        assertThat(before).isLessThan(healthy);
        DoctorReport r = QuantDoctor.diagnose(in, bad, badCompile, ds, 0, null, null);
        assertThat(r.ranking().get(0).layer()).isEqualTo(victim);
        assertThat(r.ranking().get(0).suggestion().kind()).isEqualTo(Suggestion.Kind.WIDEN_RANGE);
        double after = agreement(graph, in, ds, r.ranking().get(0).suggestion().apply(bad).compile(graph, in, null));
        System.out.printf("doctor mbnet128 V3 (%d quantized layers): %s cut to %s: agreement healthy %.3f, mis-calibrated %.3f, fixed %.3f%n",
                quantized.size(), victim, narrow, healthy, before, after);
        assertThat(after).isGreaterThan(before);
    }

    private static double agreement(Graph g, BoardInput in, EvalDataset ds, K210Compiler.Result c) throws Exception {
        return Evaluator.evaluate(g, in, c.model(), "v3", ds, OutputDecoding.classifier(), 0, null, null).classifier().agreement();
    }
}

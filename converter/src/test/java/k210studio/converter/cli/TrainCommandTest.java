package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.train.BoardInput;
import k210studio.converter.train.ClassFolders;
import k210studio.converter.train.DatasetSplit;
import k210studio.converter.train.ImageFolder;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.project.Project;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code k210 train} as a user runs it, on a class-folder dataset made from three distinct fixture photos (cat,
 * Grace Hopper, the two faces) with random crops, flips and brightness: transfer learning on the bundled MobileNet
 * 0.25 reaches ≥ 90 % validation accuracy, the written project holds the labels and weights, and the V3 kmodel that
 * {@code k210 compile} exports from it agrees with the float network on ≥ 95 % of the validation images.
 */
class TrainCommandTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = ClassFolders.build(dir.resolve("photos"), List.of("images/cat.bmp", "images/grace_hopper.bmp", "images/face.jpg"),
                List.of("cat", "hopper", "people"), 40, 136, 11);
    }

    int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new K210Cli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void backboneTransferLearnsAndTheExportedV3KmodelAgreesWithFloat() throws Exception {
        Path out = dir.resolve("photos.k210proj");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = run(o, e, "train", "--backbone", "mobilenet-0.25", "--dataset", data.toString(), "--epochs", "15", "--lr", "0.003",
                "--batch", "16", "--val-split", "0.2", "--k210-every", "5", "-o", out.toString(), "--json");
        assertThat(code).as(e.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(o.toString());
        System.out.println(j.toPrettyString());
        assertThat(j.get("epochs")).hasSize(15);
        assertThat(j.get("epochs").get(4).get("k210").get("images").asInt()).isEqualTo(24);
        int best = j.get("bestEpoch").asInt();
        assertThat(j.get("epochs").get(best - 1).get("valAccuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(j.get("k210").get("agreement").asDouble()).isGreaterThanOrEqualTo(0.95);

        Project p = ProjectFile.load(out);
        assertThat(p.settings().labels()).containsExactly("cat", "hopper", "people");
        // export as a user would, then run the written kmodel on the validation images against the float network
        Path km = dir.resolve("photos.kmodel");
        Path calib = Files.createDirectories(dir.resolve("calib"));
        for (String s : p.settings().sampleImages()) {
            Path f = Path.of(s);
            Files.copy(f, calib.resolve(f.getFileName()));
        }
        assertThat(run(new StringWriter(), e, "compile", out.toString(), "--dataset", calib.toString(), "--target", "v3", "-o", km.toString(),
                "--quiet")).as(e.toString()).isZero();
        Kmodel m = KmodelFiles.read(Files.readAllBytes(km));
        Graph g = p.graph();
        BoardInput in = BoardInput.of(((Input) g.layer(g.inputIds().get(0)).params()).shape(), p.settings().preprocessing());
        DatasetSplit split = DatasetSplit.of(ImageFolder.scan(data), 0.2, 1);
        int agree = 0;
        int correct = 0;
        for (DatasetSplit.Sample s : split.validation()) {
            byte[] planar = in.planar(ImageFiles.read(s.file()));
            float[] k = m.run(KmodelTensor.ofUint8(new int[] {1, 3, 128, 128}, planar), RunOptions.defaults()).outputs().get(0).toFloatArray();
            float[] f = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), new Tensor(new int[] {128, 128, 3}, in.tensor(planar))), false)
                    .output().data();
            agree += argmax(k) == argmax(f) ? 1 : 0;
            correct += argmax(f) == s.label() ? 1 : 0;
        }
        int n = split.validation().size();
        System.out.printf("exported V3 kmodel: agrees with float on %d/%d validation images; float correct %d/%d%n", agree, n, correct, n);
        assertThat(agree).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * n));
        assertThat(correct).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * n));
    }

    @Test
    void badInputsSayWhatToFix() throws Exception {
        StringWriter e = new StringWriter();
        Path out = dir.resolve("never.k210proj");
        assertThat(run(new StringWriter(), e, "train", "--dataset", data.toString(), "-o", out.toString())).isEqualTo(2);
        assertThat(e.toString()).contains("--backbone");
        Path one = Files.createDirectories(dir.resolve("one/only"));
        Files.copy(data.resolve("cat/cat_000.png"), one.resolve("a.png"));
        e = new StringWriter();
        assertThat(run(new StringWriter(), e, "train", "--backbone", "mobilenet-0.25", "--dataset", dir.resolve("one").toString(),
                "-o", out.toString())).isEqualTo(2);
        assertThat(e.toString()).contains("at least two sub-folders");
        e = new StringWriter();
        assertThat(run(new StringWriter(), e, "train", "--backbone", "mobilenet-0.25", "--dataset", data.toString(), "--optimizer", "rmsprop",
                "-o", out.toString())).isEqualTo(2);
        assertThat(e.toString()).contains("adam or sgd");
        e = new StringWriter();
        assertThat(run(new StringWriter(), e, "train", "--backbone", "mobilenet-0.25", "--dataset", data.toString(), "--freeze-until", "conv1",
                "-o", out.toString())).isEqualTo(2);
        assertThat(e.toString()).contains("--fine-tune-blocks");
        assertThat(out).doesNotExist();
    }

    @Test
    void aDesignWhoseOutputDoesNotMatchTheClassesIsRefused() throws Exception {
        Path proj = dir.resolve("two.k210proj");
        ProjectFile.save(k210studio.ir.samples.SampleNetworks.mobileNetStyleProject(), proj);
        StringWriter e = new StringWriter();
        assertThat(run(new StringWriter(), e, "train", proj.toString(), "--dataset", data.toString(), "--epochs", "1", "-o",
                dir.resolve("x.k210proj").toString())).isEqualTo(2);
        assertThat(e.toString()).contains("outputs 20 value(s) but the dataset has 3 classes");
    }

    private static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }
}

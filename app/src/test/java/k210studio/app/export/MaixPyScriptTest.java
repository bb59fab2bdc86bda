package k210studio.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated MaixPy script and the atomic export files. */
class MaixPyScriptTest {

    @Test
    void v3ClassifierScriptLoadsFeedsAndReadsTheVectorWithoutSetOutputs() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel"));
        String s = MaixPyScript.generate("mbnet.kmodel", "labels.txt", m, 127.5f, 127.5f, MaixPyScript.Mode.CLASSIFIER, null);
        assertThat(s).contains("task = kpu.load('/sd/mbnet.kmodel')", "img.pix_to_ai()", "fmap = kpu.forward(task, img)",
                "sensor.set_windowing((224, 224))", "sensor.RGB565", "x = (pixel - 127.5) / 127.5", "open('/sd/labels.txt')")
                .doesNotContain("set_outputs");
    }

    @Test
    void v4ScriptSetsEveryOutputShapeBeforeForward() throws Exception {
        Kmodel m = KmodelFiles.read(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta4_yolo20classes_kfpkg_3x240x320.kmodel"));
        String s = MaixPyScript.generate("yolo.kmodel", null, m, 0, 255, MaixPyScript.Mode.YOLO2, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        // a flat V4 output of 125·10·7 floats on the 320×240 input's /32 grid: w 10, h 7, ch 125
        long n = m.outputs().get(0).elementCount();
        assertThat(n % (10 * 7)).isZero();
        assertThat(s).contains("kpu.set_outputs(task, 0, 10, 7, " + n / 70 + ")", "kpu.init_yolo2(task, 0.5, 0.3, 5, anchors)",
                "kpu.run_yolo2(task, img)", "V4 support");
        assertThat(s.indexOf("set_outputs")).isLessThan(s.indexOf("while True"));
    }

    @Test
    void exportFilesReplaceTargetsAtomicallyAndLeaveNoTemporaries(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.kmodel"), "old");
        ExportFiles.Written w = ExportFiles.write(dir, "m", new byte[] {3, 0, 0, 0}, List.of("a", "b"), "print(1)\n");
        assertThat(Files.readAllBytes(w.kmodel())).containsExactly(3, 0, 0, 0);
        assertThat(Files.readAllLines(w.labels())).containsExactly("a", "b");
        assertThat(Files.readString(w.script())).isEqualTo("print(1)\n");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("boot.py", "labels.txt", "m.kmodel");
        }
        ExportFiles.Written none = ExportFiles.write(dir.resolve("sub"), "x", new byte[1], List.of(), "");
        assertThat(none.labels()).isNull();
    }
}

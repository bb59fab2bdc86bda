package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.KpuGroup;
import k210studio.ir.rules.Target;
import k210studio.ir.rules.Verdict;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.V4Reader;
import k210studio.kpu.kmodel.v4.body.V4Opcode;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * The checker's V4 placement against what nncase v0.2.0-beta4 really produced for the same
 * model: {@code tflite/nncase_ulffd_landmark.tflite} and its kmodel
 * {@code kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel} (a face detector with
 * depthwise convs, stride-2 depthwise on an odd size, concatenations and standalone ReLUs).
 */
class LintAgainstNncaseTest {

    @Test
    void kpuLayersAndCpuWorkMatchNncaseBeta4OnUlffd() throws Exception {
        Graph g = TfliteImporter.importFile(SharedFixtures.fixture("tflite/nncase_ulffd_landmark.tflite")).graph();
        V4Model kmodel = V4Reader.read(Files.readAllBytes(SharedFixtures.fixture("kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel")));
        List<V4Node> nodes = kmodel.nodes();
        long kpuConvs = nodes.stream().filter(n -> n.opcode() == V4Opcode.KPU_CONV2D).count();
        long pads = nodes.stream().filter(n -> n.opcode() == V4Opcode.PAD).count();

        CheckReport r = K210Checker.check(g);
        assertThat(r.convertsFor(Target.V4)).isTrue();
        // one KPU layer per kpu_conv2d node (stride-2 depthwise convs hand their stride to the next 1×1 conv)
        assertThat(r.memory(Target.V4).kpuLayers()).hasSize((int) kpuConvs);
        // the only conv nncase had to surround with CPU work is the stride-2 depthwise on the odd 15-row map (one Pad node)
        List<KpuGroup> kpuCpu = r.groups().stream().filter(x -> r.layer(x.convId()).verdict(Target.V4) == Verdict.KPU_CPU).toList();
        assertThat(kpuCpu).hasSize((int) pads);
        assertThat(kpuCpu.get(0).input().h()).isEqualTo(15);
        // the largest KPU layer: a 120×160×32 map in and out (3 lines per row · 120 rows · 32 channels · 64 B each)
        assertThat(r.memory(Target.V4).kpuPeakBytes()).isEqualTo(2L * 3 * 120 * 32 * 64);
    }
}

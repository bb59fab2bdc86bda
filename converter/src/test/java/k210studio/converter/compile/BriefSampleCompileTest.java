package k210studio.converter.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.chip.KpuLayerArgument;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v3.K210ConvBody;
import k210studio.kpu.kmodel.v3.V3Model;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The brief's two-class network (16 padded/'valid' and 'same' 3×3 convs with BN + ReLU on a 320×240 image, Flatten,
 * Dropout, Dense(2), softmax; random weights) compiles to V3 and V4, runs in kpu-sim, and the compiler's memory
 * report says what the runtime sees: the main-memory size the runtime allocates, the KPU RAM address and size of
 * every conv's input and output as the chip's registers hold them, and a peak no smaller than what the runtime
 * observes live (issue [5/8]).
 */
class BriefSampleCompileTest {

    @ParameterizedTest
    @EnumSource(QuantRules.class)
    void compilesRunsAndTheReportMatchesTheRuntime(QuantRules target) throws Exception {
        Graph g = SampleNetworks.briefTwoClass();
        List<byte[]> pixels = new ArrayList<>();
        List<Tensor> calib = new ArrayList<>();
        for (String f : List.of("face.jpg", "cat.bmp", "grace_hopper.bmp")) {
            byte[] px = ModelImageInput.planar(ImageFiles.read(SharedFixtures.fixture("images/" + f)), 320, 240, 3,
                    ImageResize.Method.BILINEAR, false);
            pixels.add(px);
            calib.add(CalibrationDataset.fromPlanar(px, 240, 320, 3, 127.5f, 127.5f));
        }
        K210Compiler.Result r = K210Compiler.compile(g, calib, CompileOptions.defaults(target).withPreprocessing(127.5f, 127.5f), null);
        CompileReport rep = r.report();

        // every conv group of the brief is one KPU layer; nothing else is
        long kpuSteps = rep.steps().stream().filter(CompileReport.Step::kpu).count();
        assertThat(kpuSteps).isEqualTo(16);
        assertThat(r.model().inputs().get(0).type()).isEqualTo(k210studio.kpu.kmodel.ElementType.UINT8);

        RunResult run = r.model().run(KmodelTensor.ofUint8(new int[] {3, 240, 320}, pixels.get(0)),
                RunOptions.defaults().withTraceOutputs(true));
        float[] probs = run.output(0).toFloatArray();
        assertThat(probs).hasSize(2);
        assertThat(probs[0] + probs[1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));

        assertThat(rep.mainBytes()).isEqualTo(r.model().mainMemoryUsage());
        assertThat(rep.fileBytes()).isEqualTo(r.kmodel().length);
        long observedPeak = 0;
        for (LayerTrace t : run.layers()) {
            observedPeak = Math.max(observedPeak, t.kpuRamBytes());
        }
        assertThat(observedPeak).isLessThanOrEqualTo(rep.kpuPeakBytes()).isPositive();

        List<long[]> regs = kpuGeometry(r);
        List<CompileReport.Step> kpu = rep.steps().stream().filter(CompileReport.Step::kpu).toList();
        assertThat(regs).hasSize(kpu.size());
        for (int i = 0; i < kpu.size(); i++) {
            CompileReport.Access in = kpu.get(i).inputs().get(0);
            CompileReport.Access out = kpu.get(i).outputs().get(0);
            assertThat(in.address()).as("conv %d input address", i).isEqualTo(regs.get(i)[0]);
            assertThat(in.bytes()).as("conv %d input bytes", i).isEqualTo(regs.get(i)[1]);
            assertThat(out.address()).as("conv %d output address", i).isEqualTo(regs.get(i)[2]);
            assertThat(out.bytes()).as("conv %d output bytes", i).isEqualTo(regs.get(i)[3]);
        }
    }

    /** {input byte address, input bytes, output byte address, output bytes} of every KPU layer, from its registers. */
    static List<long[]> kpuGeometry(K210Compiler.Result r) throws Exception {
        List<long[]> out = new ArrayList<>();
        List<long[]> words = new ArrayList<>();
        if (r.model() instanceof V3Model v3) {
            for (var l : v3.layers()) {
                if (l.body() instanceof K210ConvBody c) {
                    words.add(c.layerArgument());
                }
            }
        } else {
            var v4 = k210studio.kpu.kmodel.v4.V4Reader.read(r.kmodel());
            for (var n : v4.nodes()) {
                if (n.body() instanceof k210studio.kpu.kmodel.v4.body.KpuConv2dBody k) {
                    words.add(k.layer().toArray());
                }
            }
        }
        for (long[] w : words) {
            KpuLayerArgument a = KpuLayerArgument.fromWords(w);
            out.add(new long[] {a.imageSrcAddr() * 64L, a.inputLines() * 64L, a.imageDstAddr() * 64L, a.outputLines() * 64L});
        }
        return out;
    }
}

package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelFuzz;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.kmodel.layout.FieldMutator;
import k210studio.kpu.kmodel.layout.FieldSpan;
import k210studio.kpu.kmodel.layout.RecordLayout;
import org.junit.jupiter.api.Test;

/**
 * Bad kmodel bytes give only {@link KmodelFormatException}: never another exception, an
 * OutOfMemoryError from a size taken from an unchecked field, or a hang (runs have a work budget).
 */
class V3FuzzTest {

    @Test
    void zeroLengthFileIsAFormatError() {
        assertThatThrownBy(() -> V3Reader.read(new byte[0])).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> KmodelFiles.read(new byte[0])).isInstanceOf(KmodelFormatException.class);
    }

    @Test
    void everyTruncationOfIrisAndMnistIsAFormatErrorNamingAnOffset() {
        for (String name : List.of("iris_fc_nncase_rc5.kmodel", "mnist_maixpy.kmodel")) {
            byte[] b = V3Fixtures.bytes(name);
            int missingOk = V3Fixtures.model(name).missingTrailingBytes();
            for (int len = 0; len < b.length - (7 - missingOk); len += (name.startsWith("iris") ? 1 : 97)) {
                byte[] cut = Arrays.copyOf(b, len);
                try {
                    V3Reader.read(cut);
                    fail(name + " cut to " + len + " bytes was accepted");
                } catch (KmodelFormatException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void upToSevenMissingPaddingBytesAreAcceptedButNotMore() throws Exception {
        byte[] padded = V3Writer.writeFullyPadded(V3Fixtures.model("mnist_maixpy.kmodel"));
        // the last body (SOFTMAX, 16 bytes) has no padding: cutting even one byte cuts content
        assertThatThrownBy(() -> V3Reader.read(Arrays.copyOf(padded, padded.length - 1)))
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("truncated");
        byte[] iris = V3Writer.writeFullyPadded(V3Fixtures.model("iris_fc_nncase_rc5.kmodel"));
        assertThat(V3Reader.read(Arrays.copyOf(iris, iris.length - 4)).missingTrailingBytes()).isEqualTo(4);
        assertThatThrownBy(() -> V3Reader.read(Arrays.copyOf(iris, iris.length - 5)))
                .isInstanceOf(KmodelFormatException.class);
        byte[] longer = Arrays.copyOf(iris, iris.length + 8);
        assertThatThrownBy(() -> V3Reader.read(longer)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("follow the last layer body");
    }

    @Test
    void wrongVersionAndArchAreNamed() {
        byte[] b = V3Fixtures.bytes("iris_fc_nncase_rc5.kmodel");
        byte[] v = b.clone();
        v[0] = 2;
        assertThatThrownBy(() -> V3Reader.read(v)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("version");
        assertThatThrownBy(() -> KmodelFiles.read(v)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("version");
        byte[] a = b.clone();
        a[8] = 1;
        assertThatThrownBy(() -> V3Reader.read(a)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("arch");
        byte[] v5 = {'L', 'D', 'M', 'K', 5, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> KmodelFiles.detectVersion(v5)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("version 5");
    }

    @Test
    void unknownAndBodylessLayerCodesNameCodeAndOffset() {
        byte[] b = V3Fixtures.bytes("mnist_maixpy.kmodel");
        int header = 28 + 8 * 1 + 8 * 3; // layer 3's header
        byte[] u = b.clone();
        u[header] = 99;
        u[header + 1] = 0;
        assertThatThrownBy(() -> V3Reader.read(u)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("unknown layer type code 99").hasMessageContaining("0x" + Integer.toHexString(header));
        byte[] g = b.clone();
        g[header] = 3;
        g[header + 1] = 0;
        assertThatThrownBy(() -> V3Reader.read(g)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("GLOBAL_MAX_POOL2D").hasMessageContaining("code 3");
    }

    @Test
    void mainMemoryRangesAreCheckedBeforeALayerRuns() throws Exception {
        V3Model m = V3Fixtures.model("iris_fc_nncase_rc5.kmodel");
        FullyConnectedBody fc = (FullyConnectedBody) m.layer(1).body();
        FullyConnectedBody bad = new FullyConnectedBody(fc.flags(), fc.in(), 1000, fc.inChannels(), fc.outChannels(),
                fc.activation(), fc.weights(), fc.biases());
        V3Model broken = new V3Model(m.flags(), m.maxStartAddress(), m.mainMemUsage(), m.outputTable(),
                List.of(m.layer(0), new V3Layer(bad, 0)), 0);
        assertThatThrownBy(() -> broken.run(KmodelTensor.ofFloats(new int[] {4}, new float[4]), RunOptions.defaults()))
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("layer 1 (FULLY_CONNECTED) out")
                .hasMessageContaining("outside main memory");
    }

    @Test
    void aLastConvWithoutMainMemoryOutputCannotRun() {
        V3Model m = V3Fixtures.model("face_detect_yolov2_320x240.kmodel");
        V3Model cut = new V3Model(m.flags(), m.maxStartAddress(), m.mainMemUsage(), List.of(),
                m.layers().subList(0, 3), 0);
        assertThatThrownBy(() -> cut.newRuntime(RunOptions.defaults())).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("KLF_MAIN_MEM_OUT");
    }

    @Test
    void workBudgetStopsARunBeforeALayerThatWouldExceedIt() throws Exception {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        KmodelTensor in = KmodelTensor.ofUint8(new int[] {1, 28, 28}, new byte[784]);
        assertThatThrownBy(() -> m.run(in, RunOptions.defaults().withWorkBudget(10_000)))
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("work budget");
    }

    /** Seeded mutation fuzzing over all five fixtures: read, then run what still parses. */
    @Test
    void thousandsOfSeededMutationsGiveOnlyTheFormatError() {
        List<long[]> bodies = V3Fixtures.ALL.stream().map(n -> V3Fixtures.model(n).bodyOffsets()).toList();
        fuzz("fuzz", new Random(0x210), new int[] {1200, 1200, 300, 300, 200},
                (f, orig, rnd) -> mutate(orig, bodies.get(f), rnd));
    }

    /** Field-aware mutations from the layer declarations (V3BodyLayouts): edge values in every declared field. */
    @Test
    void fieldAwareMutationsGiveOnlyTheFormatError() {
        List<List<FieldSpan>> spans = V3Fixtures.ALL.stream().map(n -> spans(V3Fixtures.model(n))).toList();
        fuzz("field fuzz", new Random(0xF1E1D3), new int[] {1500, 1500, 200, 200, 150},
                (f, orig, rnd) -> FieldMutator.mutate(orig, spans.get(f), rnd));
    }

    /** The leaf fields of every layer body, at their file offsets. */
    static List<FieldSpan> spans(V3Model m) {
        long[] offsets = m.bodyOffsets();
        List<FieldSpan> out = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            V3LayerBody b = m.layer(i).body();
            out.addAll(spans(V3BodyLayouts.of(b.type()), b, offsets[i], m.eightBitWeights()));
        }
        return out;
    }

    private static <B extends V3LayerBody> List<FieldSpan> spans(RecordLayout<B> layout, V3LayerBody body, long at,
            boolean eightBit) {
        return layout.spans(layout.type().cast(body), at, Map.of(V3BodyLayouts.EIGHT_BIT, eightBit));
    }

    interface Mutation {
        byte[] apply(int fixture, byte[] orig, Random rnd);
    }

    /** Reads every mutation of every fixture and runs what parses (every 8th of the large ones); only format errors may come. */
    private static void fuzz(String title, Random rnd, int[] counts, Mutation mutation) {
        KmodelFuzz fuzz = new KmodelFuzz(title);
        for (int f = 0; f < V3Fixtures.ALL.size(); f++) {
            String name = V3Fixtures.ALL.get(f);
            byte[] orig = V3Fixtures.bytes(name);
            boolean small = orig.length < 300_000;
            for (int k = 0; k < counts[f]; k++) {
                String what = name + " mutation " + k;
                Kmodel m = fuzz.read(mutation.apply(f, orig, rnd), what);
                if (m == null || !(small || k % 8 == 0)) {
                    continue;
                }
                fuzz.run(what, false, () -> {
                    RunOptions o = RunOptions.defaults().withTraceOutputs(small)
                            .withWorkBudget(small ? 200_000_000L : 2_000_000_000L);
                    KmodelRuntime rt = m.newRuntime(o);
                    List<TensorDescription> ins = m.inputs();
                    if (ins.isEmpty()) {
                        rt.run(List.of());
                        fail(what + ": a model without an input ran");
                    }
                    TensorDescription d = ins.get(0);
                    KmodelTensor input = d.type() == ElementType.FLOAT32
                            ? KmodelTensor.ofFloats(new int[] {(int) d.elementCount()}, new float[(int) d.elementCount()])
                            : KmodelTensor.ofUint8(new int[] {(int) d.elementCount()}, new byte[(int) d.elementCount()]);
                    rt.run(input);
                });
            }
        }
        fuzz.report();
    }

    private static final long[] INTERESTING = {0, 1, 2, 3, 7, 8, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0xFFFFFFF8L, 28, 10240, 10243, 32767, 32768};

    private static final k210studio.kpu.kmodel.KmodelMutator MUTATOR =
            new k210studio.kpu.kmodel.KmodelMutator(INTERESTING, 1, 2, 160);

    static byte[] mutate(byte[] orig, long[] bodies, Random rnd) {
        return MUTATOR.mutate(orig, bodies, rnd);
    }
}

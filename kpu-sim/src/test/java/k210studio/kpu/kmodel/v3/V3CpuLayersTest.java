package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import org.junit.jupiter.api.Test;

/**
 * Every CPU layer type of kmodel V3 with hand-computed results (SDK kpu.c arithmetic). Each model is
 * built in code, written and read back (the writer/reader round trip of every body type), then run:
 * an identity FULLY_CONNECTED first layer puts the float input into main memory at 0, as the SDK
 * (V0.5.7+) does for FC-first models; a QUANTIZE makes u8 data where a layer needs it.
 */
class V3CpuLayersTest {
    /** Main memory used by the test models. */
    static final long MEM = 4096;

    static FullyConnectedBody identity(int n, long out) {
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            w[i * n + i] = 1;
        }
        return new FullyConnectedBody(0, 0, out, n, n, 0, w, new float[n]);
    }

    /** Builds, writes, re-reads and runs: first an identity FC of the input to main offset 256. */
    static RunResult run(float[] input, List<V3LayerBody> layers, V3Output output) throws Exception {
        List<V3Layer> ls = new ArrayList<>();
        ls.add(V3Layer.of(identity(input.length, 256)));
        for (V3LayerBody b : layers) {
            ls.add(V3Layer.of(b));
        }
        V3Model built = new V3Model(1, 32768, MEM, List.of(output), ls, 0);
        byte[] file = V3Writer.write(built);
        assertThat(file.length % 8).as("fully padded").isZero();
        V3Model m = V3Reader.read(file);
        assertThat(m.layers().stream().map(V3Layer::body).toList())
                .isEqualTo(built.layers().stream().map(V3Layer::body).toList());
        assertThat(V3Writer.write(m)).isEqualTo(file);
        return m.run(KmodelTensor.ofFloats(new int[] {input.length}, input), RunOptions.defaults().withTraceOutputs(true));
    }

    static float[] floats(RunResult r) {
        return r.output(0).toFloatArray();
    }

    static int[] u8(RunResult r) {
        float[] f = r.output(0).toFloatArray();
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = (int) f[i];
        }
        return v;
    }

    static QuantizeBody q(long in, long out, long count) {
        return new QuantizeBody(0, in, out, count, 1f, 0f);
    }

    @Test
    void add() throws Exception {
        RunResult r = run(new float[] {1, 2, 3, 4}, List.of(new AddBody(0, 256, 264, 512, 2)), new V3Output(512, 8));
        assertThat(floats(r)).containsExactly(4f, 6f);
    }

    @Test
    void quantizedAddWithEqualShiftsAndCarryShift() throws Exception {
        // a' = (a+0)*1, b' = (b+0)*1, equal shifts 0: v = a'+b'; out = carry_shift(v*1, 1) + 0
        // 3 -> t = 3 odd, positive -> (3>>1)+1 = 2; 4 -> 2; 255+255=510 -> 255
        QuantizedAddBody qa = new QuantizedAddBody(0, 1024, 1032, 1040, 3, 0, 1, 0, 0, 1, 0, 0, 1, 1);
        RunResult r = run(new float[] {1, 2, 255, 2, 2, 255},
                List.of(q(256, 1024, 3), q(268, 1032, 3), qa), new V3Output(1040, 3));
        assertThat(u8(r)).containsExactly(2, 2, 255);
    }

    @Test
    void quantizedAddWithDifferentShiftsOffsetsAndNegativeCarry() throws Exception {
        // a' = (a-10)*4 >> 2 = a-10 ; b' = (b-10)*2 >> 1 = b-10 ; v = a'+b'; out = carry_shift(v*3, 1) + 20
        // a=3,b=4: v=-13 -> -39 -> t=-39 odd negative -> (-39>>1)-1 = -20-1 = -21 -> -1 -> clamp 0
        // a=20,b=15: v=15 -> 45 -> t=45 odd -> 22+1 = 23 -> 43
        QuantizedAddBody qa = new QuantizedAddBody(0, 1024, 1032, 1040, 2, -10, 4, 2, -10, 2, 1, 20, 3, 1);
        RunResult r = run(new float[] {3, 20, 4, 15}, List.of(q(256, 1024, 2), q(264, 1032, 2), qa),
                new V3Output(1040, 2));
        assertThat(u8(r)).containsExactly(0, 43);
        assertThat(V3CpuLayers.carryShift(-39, 1)).isEqualTo(-21);
        assertThat(V3CpuLayers.carryShift(-40, 3)).isEqualTo(-5);
        assertThat(V3CpuLayers.carryShift(-12, 3)).isEqualTo(-3); // t = -3 odd -> (-3>>1)-1 = -3
    }

    @Test
    void globalAveragePool() throws Exception {
        RunResult r = run(new float[] {1, 2, 3, 4, 10, 20, 30, 40},
                List.of(new GlobalAveragePool2dBody(0, 256, 512, 4, 2)), new V3Output(512, 8));
        assertThat(floats(r)).containsExactly(2.5f, 25f);
    }

    @Test
    void averagePoolDividesByTheValidTapsOnly() throws Exception {
        // 3x3 input 1..9, kernel 2x2 stride 2 pad 0 -> 2x2 output, right/bottom windows clipped
        V3Shape in = new V3Shape(3, 3, 1);
        V3Shape out = new V3Shape(2, 2, 1);
        RunResult r = run(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
                List.of(new AveragePool2dBody(0, 256, 512, in, out, 2, 2, 2, 2, 0, 0, 1)), new V3Output(512, 16));
        assertThat(floats(r)).containsExactly(3f, 4.5f, 7.5f, 9f);
    }

    @Test
    void averagePoolWithLeadingPadding() throws Exception {
        // 2x2 input, kernel 2x2 stride 1 pad 1 -> 3x3 output, corners see one tap
        V3Shape in = new V3Shape(2, 2, 1);
        V3Shape out = new V3Shape(3, 3, 1);
        RunResult r = run(new float[] {1, 2, 3, 4},
                List.of(new AveragePool2dBody(0, 256, 512, in, out, 2, 2, 1, 1, 1, 1, 0)), new V3Output(512, 36));
        assertThat(floats(r)).containsExactly(1f, 1.5f, 2f, 2f, 2.5f, 3f, 3f, 3.5f, 4f);
    }

    @Test
    void floatMaxPoolAppliesItsActivation() throws Exception {
        V3Shape in = new V3Shape(2, 2, 2);
        V3Shape out = new V3Shape(1, 1, 2);
        RunResult r = run(new float[] {-5, -2, -3, -4, 1, 9, 2, 3},
                List.of(new MaxPool2dBody(0, 256, 512, in, out, 2, 2, 2, 2, 0, 0, 2)), new V3Output(512, 8));
        assertThat(floats(r)).containsExactly(0f, 6f); // relu6: max(-2) -> 0, max(9) -> 6
    }

    @Test
    void quantizedMaxPoolClipsTheWindow() throws Exception {
        // 3x3 u8 (1..9), kernel 2x2, stride 2 -> 2x2: 5, 6, 8, 9
        V3Shape in = new V3Shape(3, 3, 1);
        V3Shape out = new V3Shape(2, 2, 1);
        RunResult r = run(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
                List.of(q(256, 1024, 9), new QuantizedMaxPool2dBody(0, 1024, 1040, in, out, 2, 2, 2, 2, 0, 0)),
                new V3Output(1040, 4));
        assertThat(u8(r)).containsExactly(5, 6, 8, 9);
    }

    @Test
    void quantizeRoundsHalfAwayFromZeroAndClamps() throws Exception {
        // q = clamp(roundf((x - bias) / scale)) with scale 0.5, bias -1: x=0.25 -> 2.5 -> 3 (roundf, not rint)
        RunResult r = run(new float[] {0.25f, -1.6f, 200f, 0.74f},
                List.of(new QuantizeBody(0, 256, 1024, 4, 0.5f, -1f)), new V3Output(1024, 4));
        assertThat(u8(r)).containsExactly(3, 0, 255, 3);
    }

    @Test
    void dequantizeAndChannelwiseDequantize() throws Exception {
        RunResult r = run(new float[] {0, 10, 255},
                List.of(q(256, 1024, 3), new DequantizeBody(0, 1024, 1032, 3, 0.5f, -2f)), new V3Output(1032, 12));
        assertThat(floats(r)).containsExactly(-2f, 3f, 125.5f);
        RunResult c = run(new float[] {1, 2, 3, 4},
                List.of(q(256, 1024, 4), new ChannelwiseDequantizeBody(0, 1024, 1032, 2, 2, new float[] {1, 10},
                        new float[] {0, -1})), new V3Output(1032, 16));
        assertThat(floats(c)).containsExactly(1f, 2f, 29f, 39f);
    }

    @Test
    void requantizeLooksUpTheTable() throws Exception {
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) (255 - i);
        }
        RunResult r = run(new float[] {0, 7, 255},
                List.of(q(256, 1024, 3), new RequantizeBody(0, 1024, 1032, 3, table)), new V3Output(1032, 3));
        assertThat(u8(r)).containsExactly(255, 248, 0);
    }

    @Test
    void l2NormalizationSoftmaxLogistic() throws Exception {
        RunResult l2 = run(new float[] {3, 4}, List.of(new L2NormalizationBody(0, 256, 512, 2)), new V3Output(512, 8));
        assertThat(floats(l2)).containsExactly(0.6f, 0.8f);
        RunResult tiny = run(new float[] {0, 0}, List.of(new L2NormalizationBody(0, 256, 512, 2)),
                new V3Output(512, 8));
        assertThat(floats(tiny)).containsExactly(0f, 0f); // epsilon 1e-10 avoids 0/0
        RunResult sm = run(new float[] {1, 2, 3}, List.of(new SoftmaxBody(0, 256, 512, 3)), new V3Output(512, 12));
        assertThat(floats(sm)[0]).isCloseTo(0.09003057f, within(1e-6f));
        assertThat(floats(sm)[2]).isCloseTo(0.66524096f, within(1e-6f));
        RunResult lg = run(new float[] {0, 2}, List.of(new LogisticBody(0, 256, 512, 2)), new V3Output(512, 8));
        assertThat(floats(lg)[0]).isEqualTo(0.5f);
        assertThat(floats(lg)[1]).isCloseTo(0.8807971f, within(1e-6f));
    }

    @Test
    void concatCopiesByteRangesInOrder() throws Exception {
        RunResult r = run(new float[] {1, 2, 3, 4, 5},
                List.of(new ConcatBody(0, 512, List.of(new V3MemoryRange(272, 8), new V3MemoryRange(256, 4)))),
                new V3Output(512, 12));
        assertThat(floats(r)).containsExactly(5f, 0f, 1f); // bytes 272..280 = x[4] and the zero float after it
    }

    @Test
    void quantizedConcat() throws Exception {
        RunResult r = run(new float[] {1, 2, 3},
                List.of(q(256, 1024, 3), new QuantizedConcatBody(0, 1040,
                        List.of(new V3MemoryRange(1026, 1), new V3MemoryRange(1024, 2)))), new V3Output(1040, 3));
        assertThat(u8(r)).containsExactly(3, 1, 2);
    }

    @Test
    void tensorflowFlattenReordersChwToHwc() throws Exception {
        // C=2, H=1, W=2: CHW = [c0x0, c0x1, c1x0, c1x1] -> HWC = [c0x0, c1x0, c0x1, c1x1]
        RunResult r = run(new float[] {1, 2, 10, 20},
                List.of(new TensorflowFlattenBody(0, 256, 512, new V3Shape(2, 1, 2))), new V3Output(512, 16));
        assertThat(floats(r)).containsExactly(1f, 10f, 2f, 20f);
    }

    @Test
    void resizeNearestNeighbourFloatAndQuantized() throws Exception {
        // 2x2 -> 3x3: src = min(floor(dst * 2/3), 1): 0,0,1
        RunResult r = run(new float[] {1, 2, 3, 4},
                List.of(new ResizeNearestNeighborBody(0, 256, 512, new V3Shape(2, 2, 1), 3, 3, 0)),
                new V3Output(512, 36));
        assertThat(floats(r)).containsExactly(1f, 1f, 2f, 1f, 1f, 2f, 3f, 3f, 4f);
        RunResult q = run(new float[] {1, 2, 3, 4},
                List.of(q(256, 1024, 4), new QuantizedResizeNearestNeighborBody(0, 1024, 1040, new V3Shape(2, 2, 1),
                        4, 1, 1)), new V3Output(1040, 4));
        assertThat(u8(q)).containsExactly(1, 1, 2, 2);
    }

    @Test
    void removePaddingKeepsPixelZeroOfEachChannel() throws Exception {
        float[] in = new float[32];
        for (int i = 0; i < 32; i++) {
            in[i] = i;
        }
        RunResult r = run(in, List.of(q(256, 1024, 32), new K210RemovePaddingBody(0, 1024, 1100, 2)),
                new V3Output(1100, 2));
        assertThat(u8(r)).containsExactly(0, 16);
    }

    @Test
    void uploadAndAddPaddingWriteTheKpuRowLayout() throws Exception {
        // 2 channels of 2x2 u8 uploaded at line 100; the trace snapshot reads the map back densely
        RunResult r = run(new float[] {1, 2, 3, 4, 5, 6, 7, 8},
                List.of(q(256, 1024, 8), new K210UploadBody(0, 1024, 100, 2, 2, 2),
                        new K210AddPaddingBody(0, 1024, 200, 3)), new V3Output(1024, 8));
        LayerTrace up = r.layers().get(2);
        assertThat(up.type()).isEqualTo("K210_UPLOAD");
        assertThat(up.output().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(up.kpuRamBytes()).isEqualTo(2 * 64); // W <= 16: 4 channels per line, 2 rows -> 2 lines
        LayerTrace pad = r.layers().get(3);
        float[] map = pad.output().toFloatArray(); // 3 channels x 4x4, pixel (0,0) of channel c = value c
        assertThat(map[0]).isEqualTo(1);
        assertThat(map[16]).isEqualTo(2);
        assertThat(map[32]).isEqualTo(3);
    }
}

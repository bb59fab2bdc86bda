package k210studio.kpu.kmodel.v4;

import static k210studio.kpu.kmodel.v4.TinyModels.builder;
import static k210studio.kpu.kmodel.v4.TinyModels.constF;
import static k210studio.kpu.kmodel.v4.TinyModels.constU8;
import static k210studio.kpu.kmodel.v4.TinyModels.floatBytes;
import static k210studio.kpu.kmodel.v4.TinyModels.mainF;
import static k210studio.kpu.kmodel.v4.TinyModels.mainU8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TableLookup1dBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.ValueRange;
import org.junit.jupiter.api.Test;

/**
 * Hand-made bodies for the neutral float / type-agnostic ops (kmodel-v4.md §6), each with its
 * expected output worked out from the spec's semantics, including the runtime quirks. Every model
 * is written, re-read and re-written before it runs (codec round trip).
 */
class V4NeutralOpsTest {
    static final ValueRange NONE = ValueRange.NONE;
    static final Scalar ZERO = new Scalar(0, 0);

    @Test
    void binaryBroadcastsSizeOneAxesAndClampsToTheFusedActivation() throws KmodelFormatException {
        // a [1,1,2,3] = 1..6, b [1,1,1,3] = 10,20,30 from the constants: a + b, clamped to [0, 30]
        float[] out = builder().constants(floatBytes(10, 20, 30, 0))
                .floatInput(mainF(0, 6), 1, 2, 3, 4, 5, 6).output(mainF(64, 6))
                .node(new BinaryBody(mainF(0, 6), constF(0, 3), mainF(64, 6), BinaryOp.ADD, Shape4.of(1, 1, 2, 3),
                        Shape4.of(1, 1, 1, 3), Shape4.of(1, 1, 2, 3), new ValueRange(0, 30)))
                .runFloats();
        assertThat(out).containsExactly(11, 22, 30, 14, 25, 30);
    }

    @Test
    void concatCopiesInnerSizeBytesTimesDimsPerOuterIndex() throws KmodelFormatException {
        // outer 2, inner 4 bytes (one float): a contributes 2 per row, b 1 -> a0 a1 b0 a2 a3 b1
        float[] out = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).floatInput(mainF(16, 2), 9, 8)
                .output(mainF(32, 6))
                .node(new ConcatBody(mainF(32, 6), 4, 2, List.of(mainF(0, 4), mainF(16, 2)), List.of(2, 1)))
                .runFloats();
        assertThat(out).containsExactly(1, 2, 9, 3, 4, 8);
    }

    @Test
    void conv2dHasBiasAfterWeightsAndSkipsPaddedTaps() throws KmodelFormatException {
        // 3x3 input 1..9, 2x2 kernel [1 0; 0 1], bias 0.5, clamp [0, 13]: (1+5, 2+6, 4+8, 5+9) + 0.5
        float[] out = builder().floatInput(mainF(0, 9), 1, 2, 3, 4, 5, 6, 7, 8, 9).output(mainF(64, 4))
                .node(new Conv2dBody(mainF(0, 9), mainF(64, 4), Shape4.of(1, 1, 3, 3), 1, 1, new Padding(0, 0),
                        new Padding(0, 0), 2, 2, 1, 1, 1, 1, new ValueRange(0, 13), Floats.of(1, 0, 0, 1),
                        Floats.of(0.5f)))
                .runFloats();
        assertThat(out).containsExactly(6.5f, 8.5f, 12.5f, 13f);
        // dilation 2 with padding 1/1: out 3x3; taps outside the image contribute nothing
        float[] dil = builder().floatInput(mainF(0, 9), 1, 2, 3, 4, 5, 6, 7, 8, 9).output(mainF(64, 9))
                .node(new Conv2dBody(mainF(0, 9), mainF(64, 9), Shape4.of(1, 1, 3, 3), 1, 1, new Padding(1, 1),
                        new Padding(1, 1), 2, 2, 1, 1, 2, 2, NONE, Floats.of(1, 1, 1, 1), Floats.of(0)))
                .runFloats();
        assertThat(dil[0]).isEqualTo(5);   // only (1,1) inside
        assertThat(dil[1]).isEqualTo(10);  // (1,0) + (1,2)
        assertThat(dil[4]).isEqualTo(20);  // corners 1 + 3 + 7 + 9
        // groups = 2: channel 0 uses weight 2, channel 1 weight 3
        float[] grp = builder().floatInput(mainF(0, 2), 1, 1).output(mainF(64, 2))
                .node(new Conv2dBody(mainF(0, 2), mainF(64, 2), Shape4.of(1, 2, 1, 1), 2, 2, new Padding(0, 0),
                        new Padding(0, 0), 1, 1, 1, 1, 1, 1, NONE, Floats.of(2, 3), Floats.of(0, 1)))
                .runFloats();
        assertThat(grp).containsExactly(2, 4);
    }

    @Test
    void matmulIsRowMajorWithBiasAndActivation() throws KmodelFormatException {
        // A = [1 2; 3 4] (main), B = [2; 1] (const), bias -0.5, ReLU clamp: [3.5, 9.5]
        float[] out = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).constants(floatBytes(2, 1))
                .output(mainF(64, 2))
                .node(new MatmulBody(mainF(0, 4), constF(0, 2), mainF(64, 2), 2, 2, 1,
                        new ValueRange(0, Float.MAX_VALUE), Floats.of(-0.5f)))
                .runFloats();
        assertThat(out).containsExactly(3.5f, 9.5f);
    }

    @Test
    void padCropsWithNegativePaddingsAndFillsWithTheBodyValue() throws KmodelFormatException {
        // uint8 1x1x3x4 = 1..12; H: -1 / +1, W: +2 / -1 -> 3x5, pad value 0 (ncc never sets it)
        byte[] in = new byte[12];
        for (int i = 0; i < 12; i++) {
            in[i] = (byte) (i + 1);
        }
        int[] out = builder().u8Input(mainU8(0, 12), in).output(mainU8(64, 15))
                .node(new PadBody(mainU8(0, 12), mainU8(64, 15), Shape4.of(1, 1, 3, 4),
                        List.of(new Padding(0, 0), new Padding(0, 0), new Padding(-1, 1), new Padding(2, -1)), ZERO))
                .runBytes();
        assertThat(out).containsExactly(0, 0, 5, 6, 7, 0, 0, 9, 10, 11, 0, 0, 0, 0, 0);
        // float: the 4 raw value bytes are the pad value
        float[] f = builder().floatInput(mainF(0, 2), 1, 2).output(mainF(64, 4))
                .node(new PadBody(mainF(0, 2), mainF(64, 4), Shape4.of(1, 1, 1, 2),
                        List.of(new Padding(0, 0), new Padding(0, 0), new Padding(0, 0), new Padding(1, 1)),
                        new Scalar(0, Float.floatToRawIntBits(1.5f))))
                .runFloats();
        assertThat(f).containsExactly(1.5f, 1, 2, 1.5f);
    }

    @Test
    void quantizeRoundsHalfAwayAndDequantizeDividesByLevelsPerUnit() throws KmodelFormatException {
        // q = clamp(roundf(x * scale + zp)): scale 2, zp 10: 0.25 -> 10.5 -> 11; -0.75 -> 8.5 -> 9; 200 -> 255; -9 -> 0
        int[] q = builder().floatInput(mainF(0, 4), 0.25f, -0.75f, 200f, -9f).output(mainU8(64, 4))
                .node(new QuantizeBody(mainF(0, 4), mainU8(64, 4), new QuantParam(10, 2f))).runBytes();
        assertThat(q).containsExactly(11, 9, 255, 0);
        // x = (q - zp) * (1 / scale)
        float[] d = builder().u8Input(mainU8(0, 2), (byte) 14, (byte) 0).output(mainF(64, 2))
                .node(new DequantizeBody(mainU8(0, 2), mainF(64, 2), new QuantParam(10, 4f))).runFloats();
        assertThat(d).containsExactly(1f, -2.5f);
    }

    @Test
    void reduceMeanScalesByOutputOverInputRangeElements() throws KmodelFormatException {
        // [1,1,2,3] = 1..6 reduced over W to [1,1,2,1]: sums 6 and 15, times 2/6 -> 2, 5
        float[] mean = builder().floatInput(mainF(0, 6), 1, 2, 3, 4, 5, 6).output(mainF(64, 2))
                .node(new ReduceBody(mainF(0, 6), mainF(64, 2), ReduceOp.MEAN, Shape4.of(1, 1, 2, 3),
                        Shape4.of(1, 1, 2, 1), 0f))
                .runFloats();
        assertThat(mean).containsExactly(2f, 5f);
        float[] max = builder().floatInput(mainF(0, 6), 1, 9, 3, 4, 5, 6).output(mainF(64, 3))
                .node(new ReduceBody(mainF(0, 6), mainF(64, 3), ReduceOp.MAX, Shape4.of(1, 1, 2, 3),
                        Shape4.of(1, 1, 1, 3), -Float.MAX_VALUE))
                .runFloats();
        assertThat(max).containsExactly(4, 9, 6);
    }

    @Test
    void reduceWindowMeanDividesByTheTapsInsideTheImage() throws KmodelFormatException {
        // 2x2 [1 2; 3 4], 2x2 window stride 1, padding after 1 in H and W -> 2x2 output
        float[] out = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 4))
                .node(new ReduceWindow2dBody(mainF(0, 4), mainF(64, 4), ReduceOp.MEAN, Shape4.of(1, 1, 2, 2),
                        new Padding(0, 1), new Padding(0, 1), 2, 2, 1, 1, 1, 1, 0f, NONE))
                .runFloats();
        assertThat(out).containsExactly(2.5f, 3f, 3.5f, 4f);
    }

    @Test
    void memoryCopyCopiesWholeFourByteUnitsOnly() throws KmodelFormatException {
        // a 7-byte uint8 range copies floor(7/4)*4 = 4 bytes; bytes 4..6 of the output stay as they were (0)
        int[] out = builder().u8Input(mainU8(0, 7), (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7)
                .output(mainU8(64, 7)).node(new MemoryCopyBody(mainU8(0, 7), mainU8(64, 7))).runBytes();
        assertThat(out).containsExactly(1, 2, 3, 4, 0, 0, 0);
    }

    @Test
    void resizeNearestAndBilinearWithoutHalfPixelCentres() throws KmodelFormatException {
        // nearest 2x2 -> 3x3: source = floor(o * 2/3) -> rows 0,0,1
        float[] nn = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 9))
                .node(new ResizeImageBody(mainF(0, 4), mainF(64, 9), Shape4.of(1, 1, 2, 2), 3, 3,
                        ResizeMode.NEAREST_NEIGHBOR, false, 0))
                .runFloats();
        assertThat(nn).containsExactly(1, 1, 2, 1, 1, 2, 3, 3, 4);
        // bilinear: (1,1) samples at 2/3: 1*(1/9) + 3*(2/9) + 2*(2/9) + 4*(4/9) = 3; (2,2) clamps to the last pixel
        float[] bl = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 9))
                .node(new ResizeImageBody(mainF(0, 4), mainF(64, 9), Shape4.of(1, 1, 2, 2), 3, 3,
                        ResizeMode.BILINEAR, false, 0))
                .runFloats();
        assertThat(bl[0]).isEqualTo(1f);
        assertThat(bl[4]).isCloseTo(3f, within(1e-5f));
        assertThat(bl[8]).isCloseTo(4f, within(1e-5f));
        // align_corners: scale (2-1)/(3-1) = 0.5 -> the centre is the mean 2.5
        float[] ac = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 9))
                .node(new ResizeImageBody(mainF(0, 4), mainF(64, 9), Shape4.of(1, 1, 2, 2), 3, 3,
                        ResizeMode.BILINEAR, true, 0))
                .runFloats();
        assertThat(ac[4]).isCloseTo(2.5f, within(1e-6f));
        // uint8 bilinear truncates: (10*1 + 30*2 + 21*2 + 41*4) / 9 = 30.67 -> 30
        int[] u8 = builder().u8Input(mainU8(0, 4), (byte) 10, (byte) 21, (byte) 30, (byte) 41).output(mainU8(64, 9))
                .node(new ResizeImageBody(mainU8(0, 4), mainU8(64, 9), Shape4.of(1, 1, 2, 2), 3, 3,
                        ResizeMode.BILINEAR, false, 0))
                .runBytes();
        assertThat(u8[4]).isEqualTo(30);
    }

    @Test
    void softmaxSubtractsTheRowMaxAndAppliesBeta() throws KmodelFormatException {
        float[] out = builder().floatInput(mainF(0, 6), 1, 2, 3, 0, 0, 0).output(mainF(64, 6))
                .node(new SoftmaxBody(mainF(0, 6), mainF(64, 6), 3, 2, 0.5f)).runFloats();
        double e0 = Math.exp(-1), e1 = Math.exp(-0.5), sum = e0 + e1 + 1;
        assertThat(out[0]).isCloseTo((float) (e0 / sum), within(1e-6f));
        assertThat(out[1]).isCloseTo((float) (e1 / sum), within(1e-6f));
        assertThat(out[2]).isCloseTo((float) (1 / sum), within(1e-6f));
        assertThat(out[3]).isCloseTo(1f / 3, within(1e-6f));
    }

    @Test
    void transposeFollowsOutShapeIEqualsInShapePermI() throws KmodelFormatException {
        // [1,1,2,3] = 1..6 with perm [0,1,3,2] -> [1,1,3,2] = 1 4 2 5 3 6 (uint8 width from the input)
        int[] out = builder().u8Input(mainU8(0, 6), (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6)
                .output(mainU8(64, 6))
                .node(new TransposeBody(mainU8(0, 6), mainU8(64, 6), Shape4.of(1, 1, 2, 3), Shape4.of(0, 1, 3, 2)))
                .runBytes();
        assertThat(out).containsExactly(1, 4, 2, 5, 3, 6);
        // NCHW -> NHWC of a float [1,2,1,2]: c0 = (1,2), c1 = (3,4) -> 1 3 2 4
        float[] f = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 4))
                .node(new TransposeBody(mainF(0, 4), mainF(64, 4), Shape4.of(1, 2, 1, 2), Shape4.of(0, 2, 3, 1)))
                .runFloats();
        assertThat(f).containsExactly(1, 3, 2, 4);
    }

    @Test
    void stridedSliceWalksBeginEndStridesIncludingNegativeStrides() throws KmodelFormatException {
        byte[] in = new byte[16];
        for (int i = 0; i < 16; i++) {
            in[i] = (byte) i;
        }
        // rows 1..3 step 2 -> 1, 3; columns 3 down to (not incl.) -1 step -2 -> 3, 1
        int[] out = builder().u8Input(mainU8(0, 16), in).output(mainU8(64, 4))
                .node(new StridedSliceBody(mainU8(0, 16), mainU8(64, 4), Shape4.of(1, 1, 4, 4), Shape4.of(0, 0, 1, 3),
                        Shape4.of(1, 1, 4, -1), Shape4.of(1, 1, 2, -2), 0, 0, 0, 0, 0))
                .runBytes();
        assertThat(out).containsExactly(7, 5, 15, 13);
    }

    @Test
    void unaryAppliesEveryFunction() throws KmodelFormatException {
        float x = 2.25f;
        float[] expected = {2.25f, 3f, (float) Math.cos(x), (float) Math.exp(x), 2f, (float) Math.log(x), -2.25f,
            1f / 1.5f, (float) Math.sin(x), 5.0625f};
        UnaryOp[] ops = UnaryOp.values();
        for (int i = 0; i < ops.length; i++) {
            float[] out = builder().floatInput(mainF(0, 1), x).output(mainF(64, 1))
                    .node(new UnaryBody(mainF(0, 1), mainF(64, 1), ops[i])).runFloats();
            assertThat(out[0]).as(ops[i].name()).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void tableLookupMapsEveryByteAndRefusesNonUint8Input() throws KmodelFormatException {
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) (255 - i);
        }
        int[] out = builder().constants(table).u8Input(mainU8(0, 3), (byte) 0, (byte) 1, (byte) 200)
                .output(mainU8(64, 3)).node(new TableLookup1dBody(mainU8(0, 3), constU8(0, 256), mainU8(64, 3)))
                .runBytes();
        assertThat(out).containsExactly(255, 254, 55);
        assertThatThrownBy(() -> builder().constants(table).floatInput(mainF(0, 1), 1f).output(mainU8(64, 4))
                .node(new TableLookup1dBody(mainF(0, 1), constU8(0, 256), mainU8(64, 4))).run())
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("uint8");
    }

    @Test
    void conv2dTransposeScattersAndIgnoresItsBias() throws KmodelFormatException {
        // [1 2; 3 4] with a 2x2 kernel of ones, stride 1 -> 3x3 [1 3 2; 4 10 6; 3 7 4]; bias 100 is ignored
        float[] out = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 9))
                .node(new Conv2dTransposeBody(mainF(0, 4), mainF(64, 9), Shape4.of(1, 1, 2, 2), Shape4.of(1, 1, 3, 3), 1,
                        new Padding(0, 0), new Padding(0, 0), 2, 2, 1, 1, 1, 1, NONE, Floats.of(1, 1, 1, 1),
                        Floats.of(100)))
                .runFloats();
        assertThat(out).containsExactly(1, 3, 2, 4, 10, 6, 3, 7, 4);
        // a non-full activation range is applied after the scatter
        float[] clamped = builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 9))
                .node(new Conv2dTransposeBody(mainF(0, 4), mainF(64, 9), Shape4.of(1, 1, 2, 2), Shape4.of(1, 1, 3, 3), 1,
                        new Padding(0, 0), new Padding(0, 0), 2, 2, 1, 1, 1, 1, new ValueRange(0, 5),
                        Floats.of(1, 1, 1, 1), Floats.of(100)))
                .runFloats();
        assertThat(clamped).containsExactly(1, 3, 2, 4, 5, 5, 3, 5, 4);
    }

    @Test
    void inconsistentShapesAreTheDocumentedError() {
        // the output range is smaller than the transpose writes
        assertThatThrownBy(() -> builder().floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 2))
                .node(new TransposeBody(mainF(0, 4), mainF(64, 2), Shape4.of(1, 1, 2, 2), Shape4.of(0, 1, 3, 2))).run())
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("node 0 (transpose)")
                .hasMessageContaining("output");
        // a range outside main memory is refused at load
        assertThatThrownBy(() -> builder().mainMem(64).floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 4))
                .node(new MemoryCopyBody(mainF(0, 4), mainF(64, 4))).run())
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("beyond its main pool");
        // a model built in memory (never written and read) gets the same check before it runs
        V4Model inMemory = builder().mainMem(64).floatInput(mainF(0, 4), 1, 2, 3, 4).output(mainF(64, 4))
                .node(new MemoryCopyBody(mainF(0, 4), mainF(64, 4))).model();
        assertThatThrownBy(() -> new V4Kmodel(inMemory).run(k210studio.kpu.kmodel.KmodelTensor.ofFloats(new int[] {4},
                new float[4]), k210studio.kpu.kmodel.RunOptions.defaults()))
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("output range 0")
                .hasMessageContaining("beyond its main pool of 64 bytes");
        assertThat(DataType.FLOAT32.bytes()).isEqualTo(4);
    }
}

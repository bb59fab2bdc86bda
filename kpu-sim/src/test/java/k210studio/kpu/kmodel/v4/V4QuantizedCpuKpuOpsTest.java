package k210studio.kpu.kmodel.v4;

import static k210studio.kpu.kmodel.v4.TinyModels.builder;
import static k210studio.kpu.kmodel.v4.TinyModels.mainF;
import static k210studio.kpu.kmodel.v4.TinyModels.mainU8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import k210studio.kpu.chip.KpuField;
import k210studio.kpu.chip.KpuLayerArgument;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantizedBinaryBody;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.ValueRange;
import org.junit.jupiter.api.Test;

/**
 * Hand-made bodies for the uint8 neutral ops (§6.15-6.17), NNIL (§6.20), the runtime-only CPU ops
 * 0x1001-0x1005 (§8, NHWC) and a batched kpu_conv2d with a main-memory output (§7.2), each with its
 * expected output computed from the spec's formulas.
 */
class V4QuantizedCpuKpuOpsTest {
    static final Padding P0 = new Padding(0, 0);

    @Test
    void quantizedConv2dAddsOffsetsAndRoundsHalfUp() throws KmodelFormatException {
        // acc = 5 + (x - 10)(3 - 1) = 5, 25, 45, 65; * 2^30 >> 31 with rounding = 3, 13, 23, 33; + 100
        int[] out = builder().u8Input(mainU8(0, 4), (byte) 10, (byte) 20, (byte) 30, (byte) 40).output(mainU8(64, 4))
                .node(new QuantizedConv2dBody(mainU8(0, 4), mainU8(64, 4), Shape4.of(1, 1, 2, 2), 1, 1, P0, P0, 1, 1, 1,
                        1, 1, 1, -10, -1, 1 << 30, 31, 100, Ints.of(5), Bytes.of((byte) 3)))
                .runBytes();
        assertThat(out).containsExactly(103, 113, 123, 133);
    }

    @Test
    void quantizedMatmulAccumulatesOffsetOperands() throws KmodelFormatException {
        // A = [1 2] (+1), B = [3 4; 5 6] (-1), bias [10 20]: 26, 41; >> 1 rounding half up: 13, 21
        int[] out = builder().u8Input(mainU8(0, 2), (byte) 1, (byte) 2).u8Input(mainU8(8, 4), (byte) 3, (byte) 4,
                (byte) 5, (byte) 6).output(mainU8(64, 2))
                .node(new QuantizedMatmulBody(mainU8(0, 2), mainU8(8, 4), mainU8(64, 2), 1, 2, 2, 1, -1, 1, 1, 0,
                        Ints.of(10, 20)))
                .runBytes();
        assertThat(out).containsExactly(13, 21);
    }

    @Test
    void quantizedBinaryBroadcastsAndRoundsDivision() throws KmodelFormatException {
        // div is (a + b/2) / b: (10 + 2) / 4 = 3, (20 + 2) / 4 = 5; b broadcast from [1,1,1,1]
        int[] div = builder().u8Input(mainU8(0, 2), (byte) 10, (byte) 20).u8Input(mainU8(8, 1), (byte) 4)
                .output(mainU8(64, 2))
                .node(new QuantizedBinaryBody(mainU8(0, 2), mainU8(8, 1), mainU8(64, 2), BinaryOp.DIV,
                        Shape4.of(1, 1, 1, 2), Shape4.of(1, 1, 1, 1), Shape4.of(1, 1, 1, 2), 0, 1, 0, 0, 1, 0, 0, 1, 0))
                .runBytes();
        assertThat(div).containsExactly(3, 5);
        // equal shapes: a' = (a - 5) * 3 >> 1 (rounded), b' = b * 1; sub then + 7, clamped at 0
        int[] sub = builder().u8Input(mainU8(0, 2), (byte) 9, (byte) 5).u8Input(mainU8(8, 2), (byte) 1, (byte) 9)
                .output(mainU8(64, 2))
                .node(new QuantizedBinaryBody(mainU8(0, 2), mainU8(8, 2), mainU8(64, 2), BinaryOp.SUB,
                        Shape4.of(1, 1, 1, 2), Shape4.of(1, 1, 1, 2), Shape4.of(1, 1, 1, 2), -5, 3, 1, 0, 1, 0, 7, 1, 0))
                .runBytes();
        assertThat(sub).containsExactly(12, 0); // (4*3+1)>>1 = 6; 6 - 1 + 7 = 12; 0 - 9 + 7 < 0 -> 0
    }

    @Test
    void nnilRunsTheStackProgramPerElementWithUnalignedConstants() throws KmodelFormatException {
        // clamp(x*x + 2, 0, 10): lda.0 dup mul ldc.r4 2.0 add ldc.r4.0 ldc.r4 10.0 clamp ret
        ByteBuffer p = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN);
        p.put((byte) 0x03).put((byte) 0x01).put((byte) 0x42).put((byte) 0x06).putFloat(2f).put((byte) 0x40)
                .put((byte) 0x04).put((byte) 0x06).putFloat(10f).put((byte) 0x80).put((byte) 0xA0);
        float[] out = builder().floatInput(mainF(0, 4), 1, 2, 3, -1).output(mainF(64, 4))
                .node(new NnilUnaryMethodBody(mainF(0, 4), mainF(64, 4), Bytes.of(p.array()))).runFloats();
        assertThat(out).containsExactly(3, 6, 10, 3);
        // a program that pops an empty stack is reported, not crashed on
        assertThatThrownBy(() -> builder().floatInput(mainF(0, 1), 1).output(mainF(64, 1))
                .node(new NnilUnaryMethodBody(mainF(0, 1), mainF(64, 1), Bytes.of((byte) 0x40, (byte) 0xA0))).run())
                .isInstanceOf(KmodelFormatException.class).hasMessageContaining("stack underflow");
    }

    // NHWC input [1,2,2,2]: pixel (y,x) = (c0, c1): (0,0)=(1,2) (0,1)=(3,4) (1,0)=(5,6) (1,1)=(7,8)
    static final float[] NHWC = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void cpuConv2dIsNhwcWithOhwiWeights() throws KmodelFormatException {
        // 1x1: oc0 takes c0, oc1 takes c1 + 0.5 -> (y, x, oc) order
        float[] out = builder().floatInput(mainF(0, 8), NHWC).output(mainF(64, 8))
                .node(new CpuConv2dBody(mainF(0, 8), mainF(64, 8), Shape4.of(1, 2, 2, 2), 2, P0, P0, 1, 1, 1, 1, 1, 1,
                        ValueRange.NONE, Floats.of(1, 0, 0, 1), Floats.of(0, 0.5f)))
                .runFloats();
        assertThat(out).containsExactly(1, 2.5f, 3, 4.5f, 5, 6.5f, 7, 8.5f);
        // 2x2 valid with weights [oc][kh][kw][ic]: oc0 = all ones -> 36
        float[] sum = builder().floatInput(mainF(0, 8), NHWC).output(mainF(64, 1))
                .node(new CpuConv2dBody(mainF(0, 8), mainF(64, 1), Shape4.of(1, 2, 2, 2), 1, P0, P0, 2, 2, 1, 1, 1, 1,
                        ValueRange.NONE, Floats.of(1, 1, 1, 1, 1, 1, 1, 1), Floats.of(0)))
                .runFloats();
        assertThat(sum).containsExactly(36);
    }

    @Test
    void cpuDepthwiseAndReduceWindowAreNhwc() throws KmodelFormatException {
        // depthwise 2x2, weights [c][kh][kw]: c0 picks (0,0) = 1, c1 picks (1,1) = 8
        float[] dw = builder().floatInput(mainF(0, 8), NHWC).output(mainF(64, 2))
                .node(new CpuDepthwiseConv2dBody(mainF(0, 8), mainF(64, 2), Shape4.of(1, 2, 2, 2), P0, P0, 2, 2, 1, 1, 1,
                        1, ValueRange.NONE, Floats.of(1, 0, 0, 0, 0, 0, 0, 1), Floats.of(0, 0)))
                .runFloats();
        assertThat(dw).containsExactly(1, 8);
        float[] max = builder().floatInput(mainF(0, 8), NHWC).output(mainF(64, 2))
                .node(new CpuReduceWindow2dBody(mainF(0, 8), mainF(64, 2), ReduceOp.MAX, Shape4.of(1, 2, 2, 2), P0, P0,
                        2, 2, 1, 1, 1, 1, -Float.MAX_VALUE, ValueRange.NONE))
                .runFloats();
        assertThat(max).containsExactly(7, 8);
        float[] mean = builder().floatInput(mainF(0, 8), NHWC).output(mainF(64, 2))
                .node(new CpuReduceWindow2dBody(mainF(0, 8), mainF(64, 2), ReduceOp.MEAN, Shape4.of(1, 2, 2, 2), P0, P0,
                        2, 2, 1, 1, 1, 1, 0, ValueRange.NONE))
                .runFloats();
        assertThat(mean).containsExactly(4, 5);
    }

    @Test
    void cpuQuantizedConvsSubtractTheirOffsets() throws KmodelFormatException {
        // pixel (10, 20), weights (2, 3), input_offset 10, filter_offset 1: 0*1 + 10*2 = 20, bias 1, + 5 -> 26
        int[] conv = builder().u8Input(mainU8(0, 2), (byte) 10, (byte) 20).output(mainU8(64, 1))
                .node(new CpuQuantizedConv2dBody(mainU8(0, 2), mainU8(64, 1), Shape4.of(1, 1, 1, 2), 1, P0, P0, 1, 1, 1,
                        1, 1, 1, 10, 1, 1, 0, 5, Bytes.of((byte) 2, (byte) 3), Ints.of(1)))
                .runBytes();
        assertThat(conv).containsExactly(26);
        // depthwise: c0 0*(2-1) + 1 + 5 = 6; c1 10*(3-1) + 2 + 5 = 27
        int[] dw = builder().u8Input(mainU8(0, 2), (byte) 10, (byte) 20).output(mainU8(64, 2))
                .node(new CpuQuantizedDepthwiseConv2dBody(mainU8(0, 2), mainU8(64, 2), Shape4.of(1, 1, 1, 2), P0, P0, 1,
                        1, 1, 1, 1, 1, 10, 1, 1, 0, 5, Bytes.of((byte) 2, (byte) 3), Ints.of(1, 2)))
                .runBytes();
        assertThat(dw).containsExactly(6, 27);
    }

    /** A 1x1 KPU conv, 1 -> 1 channel on 4x4 maps, weight 2, identity BN, identity activation for y > 0. */
    static KpuConv2dBody doublingKpuConv(int batches, MemoryRange mainOut) {
        KpuLayerArgument l = KpuLayerArgument.zero()
                .with(KpuField.IMAGE_SRC_ADDR, 0).with(KpuField.IMAGE_DST_ADDR, 8)
                .with(KpuField.I_ROW_WID, 3).with(KpuField.I_COL_HIGH, 3)
                .with(KpuField.O_ROW_WID, 3).with(KpuField.O_COL_HIGH, 3)
                .with(KpuField.LOAD_PARA, 1).with(KpuField.DMA_BURST_SIZE, 15).with(KpuField.LOAD_COOR, 1)
                .with(KpuField.PARA_SIZE, 1)
                .with(KpuField.CHANNEL_SWITCH_ADDR, 4).with(KpuField.ROW_SWITCH_ADDR, 1).with(KpuField.COEF_GROUP, 4)
                .with(KpuField.LOAD_ACT, 1)
                .with(KpuField.WB_CHANNEL_SWITCH_ADDR, 4).with(KpuField.WB_ROW_SWITCH_ADDR, 1).with(KpuField.WB_GROUP, 4)
                .with(KpuField.CHANNEL_BYTE_NUM, 15).with(KpuField.DMA_TOTAL_BYTE, 15)
                .with(KpuField.SEND_DATA_OUT, mainOut.size() != 0 ? 1 : 0);
        long bn = 1; // norm_mul 1, norm_add 0, norm_shift 0
        byte[] act = new byte[144];
        ByteBuffer a = ByteBuffer.wrap(act).order(ByteOrder.LITTLE_ENDIAN);
        a.putLong(0, 0x800000000L << 24); // segment 0: x_start -2^35, mul 0, shift 0
        for (int s = 1; s < 16; s++) {
            a.putLong(s * 8, 1L << 8); // x_start 0, y_mul 1, shift 0: z = y for y > 0
        }
        return new KpuConv2dBody(mainOut, batches, 0, Longs.of(l.toWords()), Longs.of(bn), Bytes.of(act),
                Bytes.of((byte) 2));
    }

    @Test
    void kpuConv2dRunsEveryBatchAndCopiesToMainMemory() throws KmodelFormatException {
        // input: 2 batches of 1x4x4 in KPU RAM at 0 (one 256-byte map each); output at line 8, and densely to main
        byte[] in = new byte[32];
        for (int i = 0; i < 16; i++) {
            in[i] = (byte) i;
            in[16 + i] = (byte) (100 + i);
        }
        MemoryRange kpuIn = new MemoryRange(MemoryType.KPU, DataType.UINT8, 0, 512);
        int[] out = builder().input(kpuIn, Shape4.of(2, 1, 4, 4), KmodelTensor.ofUint8(new int[] {2, 1, 4, 4}, in))
                .output(mainU8(0, 32)).node(doublingKpuConv(2, mainU8(0, 32))).runBytes();
        for (int i = 0; i < 16; i++) {
            assertThat(out[i]).isEqualTo(2 * i);
            assertThat(out[16 + i]).isEqualTo(Math.min(255, 2 * (100 + i)));
        }
    }
}

package k210studio.converter.compile;

import k210studio.converter.quant.KpuConvOffsets;

/**
 * One fused KPU layer ([pad] → conv → BN → activation → [pool]) with everything quantized, ready to be encoded
 * into the 12 register words plus weights, BN table and activation table.
 *
 * @param layerName  the IR conv layer this comes from
 * @param input      uint8 input in KPU RAM (C_in × H × W, before the KPU's implicit 3×3 padding)
 * @param output     uint8 output in KPU RAM (after pooling)
 * @param mainOutput when not null, the same output streamed densely (CHW) to main memory
 * @param kernel     1 or 3
 * @param depthwise  depthwise layer
 * @param poolType   KPU pool type 0…9 (kpu-arith.md §3.5)
 * @param weights    quantized weights, [out][in][ky][kx] (depthwise [c][ky][kx])
 * @param weightBits 8 or 16
 * @param offsets    the zero-point terms and pad value
 * @param bnWords    one packed BN word per output channel
 * @param actWords   the 18 packed activation-table words
 */
public record KpuConvPlan(String layerName, PlannedValue input, PlannedValue output, PlannedValue mainOutput, int kernel,
                          boolean depthwise, int poolType, int[] weights, int weightBits, KpuConvOffsets offsets,
                          long[] bnWords, long[] actWords) {

    /** Bytes one weight load may hold (nncase: 30 KiB for 8-bit, 60 KiB for 16-bit weights). */
    public int loadLimitBytes() {
        return weightBits == 8 ? 30 * 1024 : 60 * 1024;
    }

    public int weightBytes() {
        return weights.length * (weightBits / 8);
    }

    /** Output channels per weight load (o_ch_num_coef + 1). */
    public int channelsPerLoad() {
        if (depthwise) {
            return output.c();
        }
        int oneChannel = kernel * kernel * input.c() * (weightBits / 8);
        return Math.max(1, Math.min(output.c(), loadLimitBytes() / oneChannel));
    }

    /** Number of weight loads (load_time + 1). */
    public int loads() {
        return depthwise ? 1 : (output.c() + channelsPerLoad() - 1) / channelsPerLoad();
    }

    /** Bytes per weight load (para_size). */
    public int paraSize() {
        return depthwise ? weightBytes() : channelsPerLoad() * kernel * kernel * input.c() * (weightBits / 8);
    }

    /** The weights as bytes in file order (u8, or little-endian u16). */
    public byte[] weightBytesLe() {
        byte[] b = new byte[weightBytes()];
        if (weightBits == 8) {
            for (int i = 0; i < weights.length; i++) {
                b[i] = (byte) weights[i];
            }
        } else {
            for (int i = 0; i < weights.length; i++) {
                b[2 * i] = (byte) weights[i];
                b[2 * i + 1] = (byte) (weights[i] >>> 8);
            }
        }
        return b;
    }

    /** Multiply-accumulates of the layer at full resolution (the KPU always computes the stride-1 conv). */
    public long macs() {
        long perPixel = depthwise ? (long) kernel * kernel : (long) kernel * kernel * input.c();
        return perPixel * output.c() * input.h() * input.w();
    }
}

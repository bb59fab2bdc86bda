package k210studio.kpu.kmodel.v3;

import java.util.Arrays;
import java.util.Objects;

/**
 * K210_CONV (10240): the 24-byte head (flags, main_mem_out_address, and the file offsets of the
 * four sub-blocks), the 12 u64 KPU layer-argument words (kmodel-v3.md §5.4), the weights (u8 or
 * little-endian u16, OIHW or [ch][ky][kx] for depthwise), the batch-norm table (one u64 per output
 * channel) and the activation table (18 u64). The sub-block offsets are not stored here: the layout
 * ({@link V3BodyLayouts}) places them as nncase v0.1.0-rc5 does (§5.2: layer argument 8-aligned, weights and BN
 * 128-aligned, activation 256-aligned, absolute file offsets). The register words are kept exactly
 * as read (the runtime patches nothing into them; the pointer fields stay 0 in the file).
 */
public record K210ConvBody(long flags, long mainMemOutAddress, long[] layerArgument, byte[] weights,
                           long[] batchNorm, long[] activation) implements V3LayerBody {
    public static final int HEAD_BYTES = 24;
    public static final int LAYER_ARGUMENT_WORDS = 12;
    public static final int ACTIVATION_WORDS = 18;

    public K210ConvBody {
        if (layerArgument.length != LAYER_ARGUMENT_WORDS) {
            throw new IllegalArgumentException("the KPU layer argument has 12 words, got " + layerArgument.length);
        }
        if (activation.length != ACTIVATION_WORDS) {
            throw new IllegalArgumentException("the activation table has 18 words, got " + activation.length);
        }
        layerArgument = layerArgument.clone();
        weights = weights.clone();
        batchNorm = batchNorm.clone();
        activation = activation.clone();
    }

    @Override
    public long[] layerArgument() {
        return layerArgument.clone();
    }

    @Override
    public byte[] weights() {
        return weights.clone();
    }

    @Override
    public long[] batchNorm() {
        return batchNorm.clone();
    }

    @Override
    public long[] activation() {
        return activation.clone();
    }

    long[] layerArgumentRef() {
        return layerArgument;
    }

    byte[] weightsRef() {
        return weights;
    }

    long[] batchNormRef() {
        return batchNorm;
    }

    long[] activationRef() {
        return activation;
    }

    public V3LayerType type() {
        return V3LayerType.K210_CONV;
    }

    /** True when KLF_MAIN_MEM_OUT is set: the output is also copied to main memory. */
    public boolean mainMemoryOutput() {
        return (flags & MAIN_MEM_OUT) != 0;
    }

    // ---- register fields (kmodel-v3.md §5.4) ----

    static long bits(long word, int lsb, int width) {
        return (word >>> lsb) & ((1L << width) - 1);
    }

    public boolean depthwise() {
        return bits(layerArgument[0], 3, 1) != 0;
    }

    public int inputLine() {
        return (int) bits(layerArgument[1], 0, 15);
    }

    public int outputLine() {
        return (int) bits(layerArgument[1], 32, 15);
    }

    public int inChannels() {
        return (int) bits(layerArgument[2], 0, 10) + 1;
    }

    public int outChannels() {
        return (int) bits(layerArgument[2], 32, 10) + 1;
    }

    public int inWidth() {
        return (int) bits(layerArgument[3], 0, 10) + 1;
    }

    public int inHeight() {
        return (int) bits(layerArgument[3], 10, 9) + 1;
    }

    public int outWidth() {
        return (int) bits(layerArgument[3], 32, 10) + 1;
    }

    public int outHeight() {
        return (int) bits(layerArgument[3], 42, 9) + 1;
    }

    /** kernel_type: 0 = 1x1, 1 = 3x3. */
    public int kernelType() {
        return (int) bits(layerArgument[4], 0, 3);
    }

    /** Kernel side: 1 for kernel_type 0, 3 for kernel_type 1, 0 for any other (unsupported) value. */
    public int kernelSize() {
        int t = kernelType();
        return t == 0 ? 1 : t == 1 ? 3 : 0;
    }

    public int poolType() {
        return (int) bits(layerArgument[4], 4, 4);
    }

    public int padValue() {
        return (int) bits(layerArgument[4], 24, 8);
    }

    public int shrW() {
        return (int) bits(layerArgument[9], 0, 4);
    }

    public int shrX() {
        return (int) bits(layerArgument[9], 4, 4);
    }

    public long argW() {
        return signExtend(bits(layerArgument[9], 8, 24), 24);
    }

    public long argX() {
        return signExtend(bits(layerArgument[9], 32, 24), 24);
    }

    public long argAdd() {
        return signExtend(bits(layerArgument[10], 0, 40), 40);
    }

    public int loadTime() {
        return (int) bits(layerArgument[5], 1, 6);
    }

    public int paraSize() {
        return (int) bits(layerArgument[5], 15, 17);
    }

    public int outChannelsPerLoad() {
        return (int) bits(layerArgument[2], 48, 10) + 1;
    }

    static long signExtend(long v, int width) {
        return (v << (64 - width)) >> (64 - width);
    }

    /** Weight count for this geometry: C_in x C_out x k x k (full) or C x k x k (depthwise). */
    public long weightCount() {
        long k = kernelSize();
        return (depthwise() ? (long) outChannels() : (long) inChannels() * outChannels()) * k * k;
    }

    @Override
    public boolean equals(Object x) {
        return x instanceof K210ConvBody c && c.flags == flags && c.mainMemOutAddress == mainMemOutAddress
                && Arrays.equals(c.layerArgument, layerArgument) && Arrays.equals(c.weights, weights)
                && Arrays.equals(c.batchNorm, batchNorm) && Arrays.equals(c.activation, activation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, mainMemOutAddress, Arrays.hashCode(layerArgument), Arrays.hashCode(weights),
                Arrays.hashCode(batchNorm), Arrays.hashCode(activation));
    }

    @Override
    public String toString() {
        return "K210ConvBody[" + (depthwise() ? "depthwise " : "") + kernelSize() + "x" + kernelSize() + " "
                + inWidth() + "x" + inHeight() + "x" + inChannels() + " -> " + outWidth() + "x" + outHeight() + "x"
                + outChannels() + ", pool " + poolType() + ", flags " + flags + "]";
    }
}

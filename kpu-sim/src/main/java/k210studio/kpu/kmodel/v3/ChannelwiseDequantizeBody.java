package k210studio.kpu.kmodel.v3;

import java.util.Arrays;
import java.util.Objects;

/**
 * CHANNELWISE_DEQUANTIZE (24), 20 + 8 x channels bytes: channel c turns its channel_size u8 values
 * into f32 with its own (scale, bias) pair.
 */
public record ChannelwiseDequantizeBody(long flags, long in, long out, long channels, long channelSize,
                                        float[] scales, float[] biases) implements V3LayerBody {
    public ChannelwiseDequantizeBody {
        if (scales.length != channels || biases.length != channels) {
            throw new IllegalArgumentException("CHANNELWISE_DEQUANTIZE needs one (scale, bias) pair per channel");
        }
        scales = scales.clone();
        biases = biases.clone();
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public float[] biases() {
        return biases.clone();
    }

    float[] scalesRef() {
        return scales;
    }

    float[] biasesRef() {
        return biases;
    }

    public V3LayerType type() {
        return V3LayerType.CHANNELWISE_DEQUANTIZE;
    }

    @Override
    public boolean equals(Object x) {
        return x instanceof ChannelwiseDequantizeBody f && f.flags == flags && f.in == in && f.out == out
                && f.channels == channels && f.channelSize == channelSize && Arrays.equals(f.scales, scales)
                && Arrays.equals(f.biases, biases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, in, out, channels, channelSize, Arrays.hashCode(scales), Arrays.hashCode(biases));
    }
}

package k210studio.kpu.kmodel.v3;

import java.util.Arrays;
import java.util.Objects;

/**
 * FULLY_CONNECTED (18), 24 + 4 x (in x out + out) bytes: float dense layer; weights row-major
 * [out][in], then biases; {@code activation} 0 linear, 1 relu, 2 relu6 (applied from SDK V0.5.7).
 */
public record FullyConnectedBody(long flags, long in, long out, long inChannels, long outChannels, long activation,
                                 float[] weights, float[] biases) implements V3LayerBody {
    public FullyConnectedBody {
        if (weights.length != inChannels * outChannels || biases.length != outChannels) {
            throw new IllegalArgumentException("FULLY_CONNECTED " + inChannels + "->" + outChannels + " needs "
                    + inChannels * outChannels + " weights and " + outChannels + " biases");
        }
        weights = weights.clone();
        biases = biases.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[] biases() {
        return biases.clone();
    }

    float[] weightsRef() {
        return weights;
    }

    float[] biasesRef() {
        return biases;
    }

    public V3LayerType type() {
        return V3LayerType.FULLY_CONNECTED;
    }

    @Override
    public boolean equals(Object x) {
        return x instanceof FullyConnectedBody f && f.flags == flags && f.in == in && f.out == out
                && f.inChannels == inChannels && f.outChannels == outChannels && f.activation == activation
                && Arrays.equals(f.weights, weights) && Arrays.equals(f.biases, biases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flags, in, out, inChannels, outChannels, activation, Arrays.hashCode(weights),
                Arrays.hashCode(biases));
    }
}

package k210studio.kpu.kmodel.v3;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.TensorDescription;

/**
 * An immutable kmodel V3 (kmodel-v3.md): header fields, output table and layers with typed
 * bodies. Read with {@link V3Reader}, write with {@link V3Writer}, run with {@link V3Runtime}.
 *
 * @param flags                header flags (bit 0: 8-bit weights)
 * @param maxStartAddress      lowest KPU RAM line used (informational)
 * @param mainMemUsage         main-memory scratch size in bytes
 * @param outputTable          the output table
 * @param layers               the layers in execution order
 * @param missingTrailingBytes padding bytes after the last body that the file did not contain
 *                             (0..7; see {@link V3Writer})
 */
public record V3Model(long flags, long maxStartAddress, long mainMemUsage, List<V3Output> outputTable,
                      List<V3Layer> layers, int missingTrailingBytes) implements Kmodel {
    public V3Model {
        outputTable = List.copyOf(outputTable);
        layers = List.copyOf(layers);
        if (missingTrailingBytes < 0 || missingTrailingBytes > 7) {
            throw new IllegalArgumentException("missing trailing bytes must be 0..7");
        }
    }

    /** True when the weights are 8-bit (header flags bit 0). */
    public boolean eightBitWeights() {
        return (flags & 1) != 0;
    }

    @Override
    public int version() {
        return 3;
    }

    @Override
    public int layerCount() {
        return layers.size();
    }

    public V3Layer layer(int i) {
        return layers.get(i);
    }

    @Override
    public String layerTypeName(int i) {
        return layers.get(i).type().name();
    }

    @Override
    public long mainMemoryUsage() {
        return mainMemUsage;
    }

    @Override
    public byte[] toBytes() {
        return V3Writer.write(this);
    }

    /** KPU convs (full-resolution, before pooling) plus FULLY_CONNECTED multiply-accumulates. */
    @Override
    public long multiplyAccumulates() {
        long s = 0;
        for (V3Layer l : layers) {
            if (l.body() instanceof K210ConvBody c) {
                long k = c.kernelSize();
                s += (long) c.inWidth() * c.inHeight() * k * k
                        * (c.depthwise() ? c.outChannels() : (long) c.inChannels() * c.outChannels());
            } else if (l.body() instanceof FullyConnectedBody f) {
                s += f.inChannels() * f.outChannels();
            }
        }
        return s;
    }

    /** Absolute file offset of each layer body (from the body sizes as stored). */
    public long[] bodyOffsets() {
        long[] r = new long[layers.size()];
        long p = V3Reader.HEADER_BYTES + 8L * outputTable.size() + 8L * layers.size();
        for (int i = 0; i < r.length; i++) {
            r[i] = p;
            p += layers.get(i).bodySize();
        }
        return r;
    }

    /**
     * The input: uint8 planar C,H,W when the first layer is K210_CONV (its input geometry), float32
     * in_channels when it is FULLY_CONNECTED (SDK V0.5.7+); empty for any other first layer (the SDK
     * cannot feed such a model).
     */
    @Override
    public List<TensorDescription> inputs() {
        V3LayerBody first = layers.get(0).body();
        if (first instanceof K210ConvBody c) {
            return List.of(new TensorDescription("input", ElementType.UINT8,
                    List.of(c.inChannels(), c.inHeight(), c.inWidth()),
                    (long) c.inChannels() * c.inHeight() * c.inWidth(), "CHW"));
        }
        if (first instanceof FullyConnectedBody f && f.inChannels() <= Integer.MAX_VALUE) {
            return List.of(new TensorDescription("input", ElementType.FLOAT32, List.of((int) f.inChannels()),
                    4 * f.inChannels(), "flat"));
        }
        return List.of();
    }

    /**
     * The outputs. V3 stores no shapes; they are inferred from the layer that last writes the output
     * address: a K210_CONV gives [C,H,W] u8; element-wise layers (DEQUANTIZE, QUANTIZE, REQUANTIZE,
     * CHANNELWISE_DEQUANTIZE) keep their input's shape; pools and resizes give [C,H,W]; SOFTMAX,
     * FC, GAP and the others give a flat vector. When that does not match the stored size, the output
     * is a flat vector of size / element size (f32 unless the writer produces u8).
     */
    @Override
    public List<TensorDescription> outputs() {
        Map<Long, int[]> shapes = new HashMap<>();
        Map<Long, ElementType> types = new HashMap<>();
        for (V3Layer l : layers) {
            LayerShapes.record(l.body(), shapes, types);
        }
        List<TensorDescription> r = new ArrayList<>();
        for (int i = 0; i < outputTable.size(); i++) {
            V3Output o = outputTable.get(i);
            ElementType t = types.getOrDefault(o.address(), ElementType.FLOAT32);
            int[] s = shapes.get(o.address());
            long count = 1;
            if (s != null) {
                for (int d : s) {
                    count *= d;
                }
            }
            List<Integer> shape;
            String layout;
            if (s != null && count * t.byteSize() == o.size()) {
                shape = new ArrayList<>();
                for (int d : s) {
                    shape.add(d);
                }
                layout = s.length == 3 ? "CHW" : "flat";
            } else {
                if (o.size() % t.byteSize() != 0) {
                    t = ElementType.UINT8;
                }
                shape = List.of((int) Math.min(Integer.MAX_VALUE, o.size() / t.byteSize()));
                layout = "flat";
            }
            r.add(new TensorDescription("output " + i, t, shape, o.size(), layout));
        }
        return r;
    }

    @Override
    public KmodelRuntime newRuntime(RunOptions options) throws KmodelFormatException {
        return new V3Runtime(this, options);
    }
}

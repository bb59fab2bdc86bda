package k210studio.kpu.kmodel.v3;

import java.util.Map;
import k210studio.kpu.kmodel.ElementType;

/** Best-effort tensor shapes of main-memory outputs (V3 files store none), for output descriptions. */
final class LayerShapes {
    private LayerShapes() {
    }

    private static int i(long v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }

    static void record(V3LayerBody b, Map<Long, int[]> shapes, Map<Long, ElementType> types) {
        if (b instanceof K210ConvBody c) {
            if (c.mainMemoryOutput()) {
                shapes.put(c.mainMemOutAddress(), new int[] {c.outChannels(), c.outHeight(), c.outWidth()});
                types.put(c.mainMemOutAddress(), ElementType.UINT8);
            }
        } else if (b instanceof DequantizeBody d) {
            put(shapes, types, d.out(), sameCount(shapes.get(d.in()), d.count()), ElementType.FLOAT32);
        } else if (b instanceof QuantizeBody q) {
            put(shapes, types, q.out(), sameCount(shapes.get(q.in()), q.count()), ElementType.UINT8);
        } else if (b instanceof RequantizeBody q) {
            put(shapes, types, q.out(), sameCount(shapes.get(q.in()), q.count()), ElementType.UINT8);
        } else if (b instanceof ChannelwiseDequantizeBody d) {
            put(shapes, types, d.out(), sameCount(shapes.get(d.in()), d.channels() * d.channelSize()),
                    ElementType.FLOAT32);
        } else if (b instanceof SoftmaxBody s) {
            put(shapes, types, s.out(), new int[] {i(s.channels())}, ElementType.FLOAT32);
        } else if (b instanceof LogisticBody s) {
            put(shapes, types, s.out(), sameCount(shapes.get(s.in()), s.channels()), ElementType.FLOAT32);
        } else if (b instanceof L2NormalizationBody s) {
            put(shapes, types, s.out(), new int[] {i(s.channels())}, ElementType.FLOAT32);
        } else if (b instanceof FullyConnectedBody f) {
            put(shapes, types, f.out(), new int[] {i(f.outChannels())}, ElementType.FLOAT32);
        } else if (b instanceof GlobalAveragePool2dBody g) {
            put(shapes, types, g.out(), new int[] {i(g.channels())}, ElementType.FLOAT32);
        } else if (b instanceof AddBody a) {
            put(shapes, types, a.out(), sameCount(shapes.get(a.inA()), a.count()), ElementType.FLOAT32);
        } else if (b instanceof QuantizedAddBody a) {
            put(shapes, types, a.out(), sameCount(shapes.get(a.inA()), a.count()), ElementType.UINT8);
        } else if (b instanceof TensorflowFlattenBody f) {
            put(shapes, types, f.out(), new int[] {i(f.shape().elements())}, ElementType.FLOAT32);
        } else if (b instanceof AveragePool2dBody p) {
            put(shapes, types, p.out(), chw(p.outShape()), ElementType.FLOAT32);
        } else if (b instanceof MaxPool2dBody p) {
            put(shapes, types, p.out(), chw(p.outShape()), ElementType.FLOAT32);
        } else if (b instanceof QuantizedMaxPool2dBody p) {
            put(shapes, types, p.out(), chw(p.outShape()), ElementType.UINT8);
        } else if (b instanceof ResizeNearestNeighborBody r) {
            put(shapes, types, r.out(), new int[] {i(r.inShape().channels()), i(r.outHeight()), i(r.outWidth())},
                    ElementType.FLOAT32);
        } else if (b instanceof QuantizedResizeNearestNeighborBody r) {
            put(shapes, types, r.out(), new int[] {i(r.inShape().channels()), i(r.outHeight()), i(r.outWidth())},
                    ElementType.UINT8);
        } else if (b instanceof K210RemovePaddingBody r) {
            put(shapes, types, r.out(), new int[] {i(r.channels())}, ElementType.UINT8);
        } else if (b instanceof ConcatBody c) {
            put(shapes, types, c.out(), null, ElementType.FLOAT32);
        } else if (b instanceof QuantizedConcatBody c) {
            put(shapes, types, c.out(), null, ElementType.UINT8);
        }
    }

    private static int[] chw(V3Shape s) {
        return new int[] {i(s.channels()), i(s.height()), i(s.width())};
    }

    private static int[] sameCount(int[] s, long count) {
        if (s != null) {
            long n = 1;
            for (int d : s) {
                n *= d;
            }
            if (n == count) {
                return s;
            }
        }
        return new int[] {i(count)};
    }

    private static void put(Map<Long, int[]> shapes, Map<Long, ElementType> types, long addr, int[] s, ElementType t) {
        if (s == null) {
            shapes.remove(addr);
        } else {
            shapes.put(addr, s);
        }
        types.put(addr, t);
    }
}

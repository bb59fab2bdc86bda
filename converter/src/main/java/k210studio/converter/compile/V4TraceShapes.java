package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.v4.V4BodyRanges;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;

/**
 * The shape of every node's output in a kmodel V4 run. kpu-sim's snapshot of a CPU node is flat (the output memory
 * range), and the format declares shapes only in some bodies (pad, upload, transpose, strided slice, pooling,
 * resize, binary, reduce); a node that converts or copies a range (dequantize, quantize, memory copy, unary) keeps
 * the shape of the node that wrote its input. A transpose to NHWC marks its output as channel-last.
 */
final class V4TraceShapes {
    private V4TraceShapes() {
    }

    /** [C, H, W] and the element order (channel-last after a transpose to NHWC). */
    record Shape(int[] chw, boolean hwc) {
    }

    /**
     * One shape per node (null: unknown), one per model output, and per node the node that wrote its (first) input
     * range (-1: the model input or unknown).
     */
    record Result(List<Shape> nodes, List<Shape> outputs, List<Integer> producers) {
    }

    static Result of(V4Model m, RunResult run) {
        Map<String, Shape> byRange = new HashMap<>();
        for (int i = 0; i < m.inputs().size(); i++) {
            Shape4 s = m.inputShapes().get(i);
            byRange.put(key(m.inputs().get(i)), new Shape(new int[] {s.d1(), s.d2(), s.d3()}, false));
        }
        List<Shape> nodes = new ArrayList<>();
        Map<String, Integer> writer = new HashMap<>();
        List<Integer> producers = new ArrayList<>();
        for (int i = 0; i < m.nodes().size(); i++) {
            V4Node node = m.nodes().get(i);
            LayerTrace t = i < run.layers().size() ? run.layers().get(i) : null;
            Shape s = null;
            if (t != null && t.output() != null && t.output().shape().length >= 3) {
                int[] d = t.output().shape();
                s = new Shape(new int[] {d[d.length - 3], d[d.length - 2], d[d.length - 1]}, false);
            }
            Map<String, MemoryRange> ranges = V4BodyRanges.of(node.body());
            MemoryRange first = ranges.containsKey("input") ? ranges.get("input") : ranges.get("input_a");
            producers.add(first == null ? -1 : writer.getOrDefault(key(first), -1));
            if (s == null) {
                s = declared(node, byRange, ranges);
            }
            MemoryRange out = node.body() instanceof KpuConv2dBody k ? k.mainMemOutput() : ranges.get("output");
            if (out != null && out.size() > 0) {
                writer.put(key(out), i);
                if (s != null) {
                    byRange.put(key(out), s);
                } else {
                    byRange.remove(key(out));
                }
            }
            nodes.add(s);
        }
        List<Shape> outs = new ArrayList<>();
        for (MemoryRange r : m.outputs()) {
            outs.add(byRange.get(key(r)));
        }
        return new Result(nodes, outs, producers);
    }

    private static Shape declared(V4Node node, Map<String, Shape> byRange, Map<String, MemoryRange> ranges) {
        Object b = node.body();
        if (b instanceof PadBody p) {
            Shape4 in = p.inShape();
            return chw(in.d1() + p.paddings().get(1).sum(), in.d2() + p.paddings().get(2).sum(), in.d3() + p.paddings().get(3).sum());
        }
        if (b instanceof TransposeBody t) {
            Shape4 in = t.inShape();
            Shape4 perm = t.perm();
            if (perm.equals(Shape4.of(0, 2, 3, 1))) {
                return new Shape(new int[] {in.d1(), in.d2(), in.d3()}, true);
            }
            if (perm.equals(Shape4.of(0, 3, 1, 2))) {
                return chw(in.d3(), in.d1(), in.d2());
            }
            return null;
        }
        if (b instanceof StridedSliceBody s && s.beginMask() == 0 && s.endMask() == 0 && s.shrinkAxisMask() == 0
                && s.newAxisMask() == 0 && s.ellipsisMask() == 0) {
            int[] d = new int[4];
            for (int a = 0; a < 4; a++) {
                int st = s.strides().get(a);
                d[a] = st <= 0 ? -1 : (s.end().get(a) - s.begin().get(a) + st - 1) / st;
            }
            return d[1] > 0 && d[2] > 0 && d[3] > 0 ? chw(d[1], d[2], d[3]) : null;
        }
        if (b instanceof ReduceWindow2dBody r && r.strideH() > 0 && r.strideW() > 0) {
            Shape4 in = r.inShape();
            int h = (in.d2() + r.paddingH().sum() - r.filterH()) / r.strideH() + 1;
            int w = (in.d3() + r.paddingW().sum() - r.filterW()) / r.strideW() + 1;
            return chw(in.d1(), h, w);
        }
        if (b instanceof ResizeImageBody r) {
            return chw(r.inShape().d1(), r.outH(), r.outW());
        }
        if (b instanceof BinaryBody bb) {
            Shape4 o = bb.outShape();
            return chw(o.d1(), o.d2(), o.d3());
        }
        if (b instanceof ReduceBody r) {
            Shape4 o = r.outShape();
            return chw(o.d1(), o.d2(), o.d3());
        }
        if (b instanceof ConcatBody c) {
            int sum = 0;
            int[] hw = null;
            for (MemoryRange in : c.inputs()) {
                Shape s = byRange.get(key(in));
                if (s == null || s.hwc() || hw != null && (hw[0] != s.chw()[1] || hw[1] != s.chw()[2])) {
                    return null;
                }
                hw = new int[] {s.chw()[1], s.chw()[2]};
                sum += s.chw()[0];
            }
            return hw == null || c.outerSize() != 1 ? null : chw(sum, hw[0], hw[1]);
        }
        MemoryRange in = ranges.get("input");
        MemoryRange out = ranges.get("output");
        if (in != null && out != null && in.elements() == out.elements()) {
            return byRange.get(key(in));
        }
        return null;
    }

    private static Shape chw(int c, int h, int w) {
        return new Shape(new int[] {c, h, w}, false);
    }

    private static String key(MemoryRange r) {
        return r.memoryType() + ":" + r.start() + ":" + r.elements();
    }
}

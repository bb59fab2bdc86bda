package k210studio.converter.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.kmodel.LayerTrace;

/**
 * Where two runs of one kmodel first part: node by node, nncase's dump ({@code kmodel_run --dump-nodes}) against
 * kpu-sim's per-node trace (both hold the bytes of the node's output range right after the node; a KPU conv's pooled
 * map downloaded to dense N×C×H×W). Names the node (index, opcode), the element and both values.
 */
final class FirstDifference {
    private FirstDifference() {
    }

    /** The first differing node as one line, or a line saying that every dumped node agrees. */
    static String find(List<NncaseOracle.NodeDump> nncase, List<LayerTrace> sim) {
        if (nncase.size() != sim.size()) {
            return "nncase ran " + nncase.size() + " nodes, kpu-sim " + sim.size();
        }
        int compared = 0;
        for (int i = 0; i < nncase.size(); i++) {
            NncaseOracle.NodeDump n = nncase.get(i);
            LayerTrace t = sim.get(i);
            if (n.bytes() == null || t.output() == null) {
                continue;
            }
            compared++;
            byte[] a = n.bytes();
            byte[] b = t.output().bytes();
            String where = String.format(Locale.ROOT, "node %d (%s, opcode 0x%x, %s %s output)", i, n.name(), n.opcode(), n.memory(),
                    n.dataType());
            if (a.length != b.length) {
                return where + ": nncase dumped " + a.length + " bytes, kpu-sim " + b.length;
            }
            int width = "float32".equals(n.dataType()) ? 4 : 1;
            int differing = 0;
            int first = -1;
            for (int e = 0; e + width <= a.length; e += width) {
                if (!sameElement(a, b, e, width)) {
                    differing++;
                    if (first < 0) {
                        first = e;
                    }
                }
            }
            if (first >= 0) {
                return where + ": first of " + differing + " differing elements is element " + first / width + ": nncase "
                        + value(a, first, width) + ", kpu-sim " + value(b, first, width);
            }
        }
        return "all " + compared + " dumped node outputs agree (the difference is in reading the outputs)";
    }

    private static boolean sameElement(byte[] a, byte[] b, int at, int width) {
        for (int k = 0; k < width; k++) {
            if (a[at + k] != b[at + k]) {
                return false;
            }
        }
        return true;
    }

    /** A float32 as value and bit pattern, a byte as unsigned integer. */
    static String value(byte[] bytes, int at, int width) {
        if (width == 4) {
            int bits = ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return String.format(Locale.ROOT, "%s (0x%08x)", Float.intBitsToFloat(bits), bits);
        }
        return Integer.toString(bytes[at] & 0xFF);
    }

    /** The first differing element of two output byte arrays, as "element e: a vs b" (float32 or uint8). */
    static String outputDifference(byte[] nncase, byte[] sim, boolean float32) {
        if (nncase.length != sim.length) {
            return "nncase wrote " + nncase.length + " bytes, kpu-sim " + sim.length;
        }
        int width = float32 ? 4 : 1;
        int differing = 0;
        int first = -1;
        double maxAbs = 0;
        for (int e = 0; e + width <= nncase.length; e += width) {
            if (!sameElement(nncase, sim, e, width)) {
                differing++;
                if (first < 0) {
                    first = e;
                }
                if (float32) {
                    float x = ByteBuffer.wrap(nncase, e, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                    float y = ByteBuffer.wrap(sim, e, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                    maxAbs = Math.max(maxAbs, Math.abs((double) x - y));
                }
            }
        }
        if (first < 0) {
            return "identical";
        }
        return String.format(Locale.ROOT, "%d of %d elements differ%s; first: element %d, nncase %s, kpu-sim %s", differing,
                nncase.length / width, float32 ? String.format(Locale.ROOT, " (max |diff| %.3g)", maxAbs) : "", first / width,
                value(nncase, first, width), value(sim, first, width));
    }
}

package k210studio.converter.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Scored;

/** What {@code run} reports after the outputs, the same for kmodels and float models: best classes, YOLO boxes. */
final class ClassesAndBoxes {
    private ClassesAndBoxes() {
    }

    /** @param boxes null when no YOLO decoding was asked for (an empty list prints "0 box(es):") */
    static void text(PrintWriter out, List<Scored> top, List<Detection> boxes) {
        if (!top.isEmpty()) {
            out.println("top " + top.size() + ":");
            for (Scored s : top) {
                out.printf(Locale.ROOT, "  %5d  %.6f  %s%n", s.index(), s.score(), s.label() == null ? "" : s.label());
            }
        }
        if (boxes != null) {
            out.println(boxes.size() + " box(es):");
            for (Detection d : boxes) {
                out.printf(Locale.ROOT, "  %-12s %.4f  x=%.1f y=%.1f w=%.1f h=%.1f%n",
                        d.label() == null ? "class " + d.classId() : d.label(), d.score(), d.x(), d.y(), d.w(), d.h());
            }
        }
    }

    /** The {@code "top"} and {@code "boxes"} arrays of {@code run --json}. */
    static void json(ObjectNode root, List<Scored> top, List<Detection> boxes) {
        ArrayNode tj = root.putArray("top");
        for (Scored s : top) {
            tj.addObject().put("index", s.index()).put("label", s.label()).put("score", s.score());
        }
        ArrayNode bj = root.putArray("boxes");
        for (Detection d : boxes) {
            bj.addObject().put("classId", d.classId()).put("label", d.label()).put("score", d.score())
                    .put("x", d.x()).put("y", d.y()).put("w", d.w()).put("h", d.h());
        }
    }
}

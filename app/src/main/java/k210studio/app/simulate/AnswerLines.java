package k210studio.app.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Scored;

/** What the answers pane lists for one side: top-k classes, the boxes, or the first raw values, and decoding errors. */
public final class AnswerLines {
    /** How a line is drawn. */
    public enum Style { NOTE, ERROR, TOP, BOX_COUNT, BOX, RAW }

    /** One line of an answer. */
    public record Line(String text, Style style) {
    }

    private AnswerLines() {
    }

    /** The lines for an answer; {@code null} (no float model) gives one note. */
    public static List<Line> of(ModelAnswer a, PostProcessing.Kind kind) {
        List<Line> out = new ArrayList<>();
        if (a == null) {
            out.add(new Line("(no float model for a kmodel opened on its own)", Style.NOTE));
            return out;
        }
        if (a.error() != null) {
            out.add(new Line("Cannot decode: " + a.error(), Style.ERROR));
        }
        for (Scored s : a.top()) {
            out.add(new Line(String.format(Locale.ROOT, "%6.4f  %s", s.score(), s.label() != null ? s.label() : "class " + s.index()), Style.TOP));
        }
        if (a.top().isEmpty() && a.error() == null) {
            if (kind == PostProcessing.Kind.YOLO2 || kind == PostProcessing.Kind.ULTRA_FACE) {
                out.add(new Line(a.boxes().size() + " box(es)", Style.BOX_COUNT));
                for (Detection d : a.boxes()) {
                    out.add(new Line(String.format(Locale.ROOT, "%.3f %s at %.0f,%.0f %.0f×%.0f", d.score(),
                            d.label() != null ? d.label() : "class " + d.classId(), d.x(), d.y(), d.w(), d.h()), Style.BOX));
                }
            } else {
                float[] v = a.firstOutput();
                StringBuilder b = new StringBuilder("output 0 (" + v.length + " values): ");
                for (int i = 0; i < Math.min(8, v.length); i++) {
                    b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v[i]));
                }
                out.add(new Line(b.append(v.length > 8 ? ", …" : "").toString(), Style.RAW));
            }
        }
        return out;
    }
}

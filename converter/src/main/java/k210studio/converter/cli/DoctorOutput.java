package k210studio.converter.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import k210studio.converter.evaluate.doctor.DoctorReport;
import k210studio.converter.evaluate.doctor.LayerError;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.converter.evaluate.doctor.Suggestion;

/** The quantization doctor's part of {@code k210 eval --doctor}: a text table and the "doctor" JSON object. */
final class DoctorOutput {
    private DoctorOutput() {
    }

    /** Agreements before and after {@code --apply-doctor} applied {@code suggestion}. */
    record Applied(Suggestion suggestion, double before, double after) {
    }

    static void print(PrintWriter out, DoctorReport d, Applied applied, int top) {
        out.printf(Locale.ROOT, "%nquantization doctor (%d image(s)): per-layer error vs float%n", d.images());
        out.printf(Locale.ROOT, "%5s  %-22s %-40s %9s %8s %8s%n", "LAYER", "TYPE", "FLOAT LAYER", "COSINE", "SNR dB", "CLIPPED");
        for (LayerError e : d.layers()) {
            out.printf(Locale.ROOT, "%5d  %-22s %-40s %9.6f %8.2f %7.1f%%%n", e.kmodelLayer(), EvalCommand.shorten(e.type(), 22), EvalCommand.shorten(e.layer(), 40),
                    e.cosine(), e.snrDb(), 100 * e.clipped());
        }
        out.printf(Locale.ROOT, "%nlayers ranked by the top-1 agreement they cost alone (only that layer quantized):%n");
        int n = 0;
        for (RankedLayer r : d.ranking()) {
            if (n++ >= top) {
                break;
            }
            out.printf(Locale.ROOT, "%2d. %-40s cost %6.2f%%  SNR %6.2f dB%n    -> %s%n", n, EvalCommand.shorten(r.layer(), 40), 100 * r.agreementCost(),
                    r.snrDb(), r.suggestion().text());
        }
        if (applied != null) {
            out.printf(Locale.ROOT, "%napplied: %s%ntop-1 agreement K210 vs float: %.2f%% before, %.2f%% after%n", applied.suggestion().text(),
                    100 * applied.before(), 100 * applied.after());
        }
    }

    static void json(ObjectNode root, DoctorReport d, Applied applied) {
        ObjectNode doc = root.putObject("doctor");
        doc.put("images", d.images());
        ArrayNode layers = doc.putArray("layers");
        for (LayerError e : d.layers()) {
            ObjectNode n = layers.addObject().put("kmodelLayer", e.kmodelLayer()).put("type", e.type()).put("layer", e.layer())
                    .put("cosine", e.cosine()).put("snrDb", e.snrDb()).put("clipped", e.clipped());
            if (e.quantRange() != null) {
                n.putArray("quantRange").add(e.quantRange().min()).add(e.quantRange().max());
            }
            if (e.observed() != null) {
                n.putArray("observed").add(e.observed().min()).add(e.observed().max());
            }
        }
        ArrayNode ranking = doc.putArray("ranking");
        for (RankedLayer r : d.ranking()) {
            ObjectNode n = ranking.addObject().put("layer", r.layer()).put("agreementCost", r.agreementCost())
                    .put("agreement", r.agreement()).put("snrDb", r.snrDb()).put("weightsDominate", r.weightsDominate());
            suggestion(n.putObject("suggestion"), r.suggestion());
        }
        if (applied != null) {
            ObjectNode a = doc.putObject("applied");
            suggestion(a.putObject("suggestion"), applied.suggestion());
            a.put("agreementBefore", applied.before()).put("agreementAfter", applied.after());
        }
    }

    private static void suggestion(ObjectNode s, Suggestion g) {
        s.put("kind", g.kind().id()).put("layer", g.layer()).put("text", g.text());
        if (g.range() != null) {
            s.putArray("range").add(g.range().min()).add(g.range().max());
        }
        if (!g.images().isEmpty()) {
            ArrayNode im = s.putArray("images");
            g.images().forEach(p -> im.add(p.toString()));
        }
    }
}

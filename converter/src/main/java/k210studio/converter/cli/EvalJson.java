package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import k210studio.converter.evaluate.ClassifierFigures;
import k210studio.converter.evaluate.DetectorFigures;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.ImageResult;

/** The {@code --json} shape of {@code k210 eval}. */
final class EvalJson {
    private EvalJson() {
    }

    static ObjectNode of(ObjectMapper m, EvalReport r, int worst) {
        ObjectNode root = m.createObjectNode();
        root.put("dataset", r.dataset().root().toString()).put("layout", r.dataset().layout().title());
        root.put("target", r.target()).put("decoder", r.decoding().kind().id());
        root.put("images", r.evaluated()).put("cancelled", r.cancelled());
        r.dataset().warnings().forEach(root.withArray("warnings")::add);
        ClassifierFigures c = r.classifier();
        if (c != null) {
            ObjectNode f = root.putObject("classifier");
            f.put("labelled", c.labelled());
            num(f, "floatTop1", c.floatTop1Accuracy());
            num(f, "floatTop5", c.floatTop5Accuracy());
            num(f, "k210Top1", c.k210Top1Accuracy());
            num(f, "k210Top5", c.k210Top5Accuracy());
            num(f, "agreement", c.agreement());
            ArrayNode per = f.putArray("perClass");
            for (ClassifierFigures.ClassFigures p : c.perClass()) {
                per.addObject().put("index", p.index()).put("name", r.dataset().className(p.index())).put("images", p.images())
                        .put("floatCorrect", p.floatCorrect()).put("k210Correct", p.k210Correct());
            }
            ArrayNode conf = f.putArray("k210Confusion");
            for (int[] row : c.k210Confusion()) {
                ArrayNode a = conf.addArray();
                for (int v : row) {
                    a.add(v);
                }
            }
        }
        DetectorFigures d = r.detector();
        if (d != null) {
            ObjectNode f = root.putObject("detector");
            num(f, "floatMap50", d.floatMap());
            num(f, "k210Map50", d.k210Map());
            num(f, "boxAgreement", d.boxAgreement());
            f.put("truths", d.truths()).put("floatBoxes", d.floatBoxes()).put("k210Boxes", d.k210Boxes()).put("matched", d.matched());
        }
        ArrayNode w = root.putArray("worst");
        for (ImageResult i : r.worst(worst)) {
            ObjectNode n = w.addObject().put("image", i.image().name()).put("file", i.image().file().toString())
                    .put("disagreement", i.disagreement());
            if (c != null) {
                n.put("label", i.image().label()).put("floatTop1", i.floatTop1()).put("k210Top1", i.k210Top1());
            }
        }
        return root;
    }

    private static void num(ObjectNode n, String k, double v) {
        if (Double.isNaN(v)) {
            n.putNull(k);
        } else {
            n.put(k, v);
        }
    }
}

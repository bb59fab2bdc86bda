package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import k210studio.converter.train.DatasetSplit;
import k210studio.converter.train.EpochStats;
import k210studio.converter.evaluate.K210Check;
import k210studio.converter.train.TrainingResult;
import k210studio.converter.train.TrainingSetup;

/** How {@code k210 train} prints a run: one line per epoch, a summary, or one JSON object. */
final class TrainReport {
    private TrainReport() {
    }

    /** "epoch  3/10  loss 0.512  acc  81.2 %  val loss 0.402  val acc  87.5 %  K210  87.5 % (agrees 100.0 %)  1.2 s  *" */
    static String epochLine(EpochStats s, int epochs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %2d/%d  loss %.4f  acc %5.1f %%", s.epoch(), epochs,
                s.trainLoss(), 100 * s.trainAccuracy()));
        if (!Double.isNaN(s.valAccuracy())) {
            b.append(String.format(Locale.ROOT, "  val loss %.4f  val acc %5.1f %%", s.valLoss(), 100 * s.valAccuracy()));
        }
        if (s.k210() != null) {
            b.append(String.format(Locale.ROOT, "  K210 %5.1f %% (agrees %5.1f %%)", 100 * s.k210().accuracy(), 100 * s.k210().agreement()));
        } else if (s.k210Error() != null) {
            b.append("  K210: ").append(s.k210Error());
        }
        b.append(String.format(Locale.ROOT, "  %.2f s", s.seconds()));
        if (s.best()) {
            b.append("  *");
        }
        return b.toString();
    }

    static void summary(PrintWriter out, TrainingResult r, Path output) {
        EpochStats best = r.best();
        if (r.stopped()) {
            out.println("stopped: keeping the best weights so far");
        }
        if (best != null) {
            out.printf(Locale.ROOT, "best: epoch %d, val acc %.1f %%, val loss %.4f%n", best.epoch(), 100 * best.valAccuracy(), best.valLoss());
        }
        K210Check k = r.finalK210();
        if (k != null) {
            out.printf(Locale.ROOT, "K210 (best weights, %d images): accuracy %.1f %%, float %.1f %%, K210 agrees with float on %.1f %%%n",
                    k.images(), 100 * k.accuracy(), 100 * k.floatAccuracy(), 100 * k.agreement());
        } else if (r.k210Error() != null) {
            out.println("K210 check failed: " + r.k210Error());
        }
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
        out.println("wrote " + output);
    }

    static String json(TrainingSetup setup, DatasetSplit data, TrainingResult r, Path output) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode ds = root.putObject("dataset");
        ArrayNode classes = ds.putArray("classes");
        int[][] c = data.counts();
        for (int i = 0; i < c.length; i++) {
            classes.addObject().put("name", data.classes().get(i)).put("train", c[i][0]).put("validation", c[i][1]);
        }
        ds.put("train", data.train().size()).put("validation", data.validation().size());
        root.put("network", setup.description());
        ArrayNode epochs = root.putArray("epochs");
        for (EpochStats s : r.history()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", s.epoch());
            number(e, "trainLoss", s.trainLoss());
            number(e, "trainAccuracy", s.trainAccuracy());
            number(e, "valLoss", s.valLoss());
            number(e, "valAccuracy", s.valAccuracy());
            e.put("seconds", s.seconds()).put("best", s.best());
            k210(e, s.k210(), s.k210Error());
        }
        root.put("bestEpoch", r.bestEpoch()).put("stopped", r.stopped());
        k210(root, r.finalK210(), r.k210Error());
        ArrayNode w = root.putArray("warnings");
        r.warnings().forEach(w::add);
        root.put("output", output.toString());
        return root.toString();
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void k210(ObjectNode n, K210Check k, String error) {
        if (k == null) {
            n.putNull("k210");
        } else {
            n.putObject("k210").put("images", k.images()).put("accuracy", k.accuracy()).put("floatAccuracy", k.floatAccuracy())
                    .put("agreement", k.agreement()).put("kmodelBytes", k.kmodelBytes());
        }
        if (error != null) {
            n.put("k210Error", error);
        }
    }
}

package k210studio.converter.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import k210studio.converter.eval.EvaluationException;
import k210studio.converter.evaluate.EvaluateException;
import k210studio.converter.evaluate.K210Check;
import k210studio.converter.train.DatasetSplit.Sample;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.Input;
import k210studio.ir.tensor.Tensor;

/**
 * Trains a classifier on a class-folder dataset: the frozen part's features are computed once (and kept when they
 * fit the cache), the trainable part learns with mini-batches over all cores, each epoch is validated, the best
 * weights are kept, and the K210 accuracy of the current weights is measured as asked. Stopping (the cancel flag,
 * checked between batches) ends the run after the current batch and keeps the best weights so far.
 */
public final class Trainer {
    private Trainer() {
    }

    /** Told about progress (from the training thread). */
    public interface Listener {
        /** A phase with a count, e.g. ("features", 40, 120) or ("epoch 3", 5, 8 batches). */
        default void progress(String phase, int done, int total) {
        }

        /** An epoch finished. */
        default void epoch(EpochStats stats) {
        }

        /** Asked at the end of each epoch: true runs a K210 check of this epoch's weights even off the schedule. */
        default boolean wantsK210() {
            return false;
        }
    }

    public static TrainingResult train(TrainingSetup setup, DatasetSplit data, TrainOptions opt, Listener listener, BooleanSupplier cancel)
            throws TrainingException {
        Listener l = listener == null ? new Listener() { } : listener;
        if (data.train().isEmpty()) {
            throw new TrainingException("the dataset has no training images left after the validation split: add images or lower the split");
        }
        Graph full = WeightInit.complete(setup.graph(), opt.seed());
        String inputId = full.inputIds().isEmpty() ? null : full.inputIds().get(0);
        if (full.inputIds().size() != 1) {
            throw new TrainingException("training needs a network with one image input; this one has " + full.inputIds().size());
        }
        BoardInput board = BoardInput.of(((Input) full.layer(inputId).params()).shape(), setup.preprocessing());
        GraphCut cut = GraphCut.at(full, setup.freezeUntil());
        TrainableNetwork net = new TrainableNetwork(cut.suffix(), setup.batchStatistics(), opt.seed());
        ClassificationLoss loss = ClassificationLoss.forNetwork(net, data.classes().size());
        List<String> warnings = new ArrayList<>();
        int variants = 0;
        if (cut.prefix() != null) {
            long perImage = 4L * TrainLayer.size(net.inputShape());
            int want = opt.augmentation().isNone() ? 1 : opt.cacheVariants();
            variants = want;
            while (variants > 0 && perImage * ((long) data.train().size() * variants + data.validation().size()) > opt.cacheBytes()) {
                variants--;
            }
            if (variants < want) {
                warnings.add(variants == 0 ? "the frozen features do not fit the cache: they are recomputed every epoch"
                        : "the feature cache holds " + variants + " augmented version(s) per image instead of " + want);
            }
        }
        FeatureSource features = new FeatureSource(board, cut.prefix(), opt.augmentation(), opt.seed(), variants);
        Optimizer optimizer = Optimizer.of(opt.optimizer());
        List<Param> params = net.trainableParams();
        if (params.isEmpty()) {
            throw new TrainingException("nothing to train: every layer after the frozen part is without weights");
        }
        List<EpochStats> history = new ArrayList<>();
        Map<String, Map<String, Tensor>> best = net.weights();
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        boolean stopped = false;
        List<Sample> checkImages = data.validation().isEmpty() ? data.train() : data.validation();
        try {
            int total = data.train().size() + data.validation().size();
            features.warmUp(data.train(), data.validation(), cancel, done -> l.progress("features", done, total));
            Random rng = new Random(opt.seed());
            List<Sample> order = new ArrayList<>(data.train());
            for (int epoch = 1; epoch <= opt.epochs() && !stopped; epoch++) {
                long t0 = System.nanoTime();
                Collections.shuffle(order, rng);
                int batches = (order.size() + opt.batchSize() - 1) / opt.batchSize();
                double lossSum = 0;
                int seen = 0;
                int correct = 0;
                for (int b = 0; b < batches; b++) {
                    if (cancel.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    List<Sample> batch = order.subList(b * opt.batchSize(), Math.min(order.size(), (b + 1) * opt.batchSize()));
                    long[] seeds = new long[batch.size()];
                    for (int i = 0; i < seeds.length; i++) {
                        seeds[i] = rng.nextLong();
                    }
                    int ep = epoch;
                    float[][] x = new float[batch.size()][];
                    Parallel.forEach(batch.size(), i -> x[i] = features.augmented(batch.get(i), ep, new Random(seeds[i])));
                    List<Integer> ok = new ArrayList<>();
                    for (int i = 0; i < x.length; i++) {
                        if (x[i] != null) {
                            ok.add(i);
                        }
                    }
                    if (ok.isEmpty()) {
                        continue;
                    }
                    float[][] xb = new float[ok.size()][];
                    int[] labels = new int[ok.size()];
                    for (int i = 0; i < ok.size(); i++) {
                        xb[i] = x[ok.get(i)];
                        labels[i] = batch.get(ok.get(i)).label();
                    }
                    float[][] y = net.forward(xb, true, rng.nextLong());
                    float[][] grad = new float[y.length][];
                    int[] c = new int[1];
                    double bl = loss.batch(y, labels, grad, c);
                    if (!Double.isFinite(bl)) {
                        throw new TrainingException("the loss became " + bl + " in epoch " + epoch + ": lower the learning rate (now "
                                + opt.learningRate() + ")");
                    }
                    net.backward(grad);
                    optimizer.step(params, opt.learningRate());
                    lossSum += bl * y.length;
                    seen += y.length;
                    correct += c[0];
                    l.progress("epoch " + epoch, b + 1, batches);
                }
                if (stopped && seen == 0) {
                    break;
                }
                double[] val = evaluate(net, loss, features, data.validation(), opt.batchSize());
                double seconds = (System.nanoTime() - t0) / 1e9;
                boolean isBest = data.validation().isEmpty() || val[1] > bestAcc || (val[1] == bestAcc && val[0] < bestLoss);
                if (isBest) {
                    best = net.weights();
                    bestAcc = val[1];
                    bestLoss = val[0];
                    bestEpoch = epoch;
                }
                K210Check k = null;
                String kErr = null;
                boolean asked = l.wantsK210();
                if (opt.k210Target() != null && !stopped && (asked || opt.k210Every() > 0 && epoch % opt.k210Every() == 0)) {
                    l.progress("K210 check", 0, 1);
                    try {
                        k = k210Check(merged(full, net.weights()), board, opt, data, checkImages, features, cancel);
                    } catch (EvaluateException e) {
                        kErr = e.getMessage();
                    }
                }
                EpochStats st = new EpochStats(epoch, seen == 0 ? Double.NaN : lossSum / seen, seen == 0 ? Double.NaN : (double) correct / seen,
                        val[0], val[1], k, kErr, seconds, isBest);
                history.add(st);
                l.epoch(st);
            }
        } catch (CancellationException e) {
            stopped = true;
        } catch (EvaluationException e) {
            throw new TrainingException(e.getMessage(), e);
        }
        for (String u : features.unreadable()) {
            warnings.add("skipped an unreadable image: " + u);
        }
        Graph result = merged(full, best);
        K210Check fin = null;
        String finErr = null;
        int bestEpochFinal = bestEpoch;
        if (opt.k210Target() != null) {
            EpochStats b = history.stream().filter(e -> e.epoch() == bestEpochFinal).findFirst().orElse(null);
            if (b != null && b.k210() != null) {
                fin = b.k210();
            } else {
                l.progress("K210 check", 0, 1);
                try {
                    fin = k210Check(result, board, opt, data, checkImages, features, () -> false);
                } catch (EvaluateException e) {
                    finErr = e.getMessage();
                }
            }
        }
        return new TrainingResult(result, history, bestEpoch, stopped, fin, finErr, warnings);
    }

    /**
     * The K210 check of some weights through the dataset evaluator: calibrated on the first readable training images,
     * evaluated on the readable check images (pictures the features could not decode are left out, as in training).
     */
    private static K210Check k210Check(Graph g, BoardInput board, TrainOptions opt, DatasetSplit data, List<Sample> checkImages,
                                       FeatureSource features, BooleanSupplier cancel) throws EvaluateException {
        List<java.nio.file.Path> cal = data.train().stream().map(Sample::file).filter(f -> !features.unreadable(f)).toList();
        List<K210Check.Labelled> images = checkImages.stream().filter(s -> !features.unreadable(s.file()))
                .map(s -> new K210Check.Labelled(s.file(), s.label())).toList();
        return K210Check.measure(g, board, opt.k210Target(), cal, images, data.classes(), cancel);
    }

    /** Mean loss and accuracy on the validation images in inference mode; NaN, NaN without any. */
    private static double[] evaluate(TrainableNetwork net, ClassificationLoss loss, FeatureSource features, List<Sample> val, int batch) {
        double sum = 0;
        int n = 0;
        int correct = 0;
        for (int b = 0; b < val.size(); b += batch) {
            List<Sample> part = val.subList(b, Math.min(val.size(), b + batch));
            float[][] x = new float[part.size()][];
            Parallel.forEach(part.size(), i -> x[i] = features.plain(part.get(i)));
            List<float[]> xs = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (x[i] != null) {
                    xs.add(x[i]);
                    labels.add(part.get(i).label());
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            float[][] y = net.forward(xs.toArray(new float[0][]), false, 0);
            for (int i = 0; i < y.length; i++) {
                sum += loss.loss(y[i], labels.get(i));
                correct += ClassificationLoss.argmax(loss.probabilities(y[i])) == labels.get(i) ? 1 : 0;
                n++;
            }
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sum / n, (double) correct / n};
    }

    /** The full network with the trained part's weights put back by layer id. */
    static Graph merged(Graph full, Map<String, Map<String, Tensor>> weights) {
        Graph g = full.copy();
        weights.forEach((id, w) -> {
            if (g.contains(id)) {
                g.replaceLayer(g.layer(id).withWeights(w));
            }
        });
        return g;
    }
}

package k210studio.converter.train;

import k210studio.ir.layer.ActivationFn;

/**
 * Cross-entropy for a classifier output, chosen from how the network ends:
 * a softmax over the classes (Dense/conv with a softmax activation, Activation softmax, Softmax on the last
 * axis) → categorical cross-entropy on the probabilities, its gradient taken straight to the softmax input
 * (p − onehot, no division by a tiny probability); one sigmoid unit for two classes → binary cross-entropy, also
 * fused; anything else → the output is taken as logits (softmax cross-entropy from logits). Probabilities are
 * clipped to [1e-7, 1 − 1e-7] in the loss value, as Keras does.
 */
final class ClassificationLoss {
    enum Kind { SOFTMAX, SIGMOID, LOGITS }

    private static final double EPS = 1e-7;

    final Kind kind;
    final int classes;

    private ClassificationLoss(Kind kind, int classes) {
        this.kind = kind;
        this.classes = classes;
    }

    /** Picks the loss for the network's output and marks its last layer's softmax/sigmoid as fused with it. */
    static ClassificationLoss forNetwork(TrainableNetwork net, int classes) throws TrainingException {
        int[] os = net.outputShape();
        int units = TrainLayer.size(os);
        TrainLayer out = net.outputLayer();
        ActivationFn.Kind act = null;
        if (out instanceof WeightedTrainLayer w) {
            act = w.activation().kind();
        } else if (out instanceof ElementwiseTrainLayer e && e.layer.params() instanceof k210studio.ir.layer.Activation a) {
            act = a.fn().kind();
        }
        boolean softmax = out instanceof WeightedTrainLayer w2 ? act == ActivationFn.Kind.SOFTMAX
                : out instanceof ElementwiseTrainLayer e2 && e2.isLastAxisSoftmax();
        if (units == 1 && act == ActivationFn.Kind.SIGMOID && classes == 2) {
            fuse(out);
            return new ClassificationLoss(Kind.SIGMOID, 2);
        }
        if (units != classes || os[os.length - 1] != classes) {
            throw new TrainingException("the network outputs " + units + " value(s) but the dataset has " + classes
                    + " classes: make the last Dense layer " + classes + " units wide (or train a new head on the backbone)");
        }
        if (softmax) {
            fuse(out);
            return new ClassificationLoss(Kind.SOFTMAX, classes);
        }
        return new ClassificationLoss(Kind.LOGITS, classes);
    }

    private static void fuse(TrainLayer out) {
        if (out instanceof WeightedTrainLayer w) {
            w.softmaxFused = true;
        } else if (out instanceof ElementwiseTrainLayer e) {
            e.softmaxFused = true;
        }
    }

    /** The class probabilities of one output. */
    float[] probabilities(float[] y) {
        switch (kind) {
            case SIGMOID:
                return new float[] {1 - y[0], y[0]};
            case LOGITS: {
                float[] p = y.clone();
                float max = Float.NEGATIVE_INFINITY;
                for (float v : p) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) Math.exp(p[i] - max);
                    sum += p[i];
                }
                for (int i = 0; i < p.length; i++) {
                    p[i] /= sum;
                }
                return p;
            }
            default:
                return y;
        }
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The loss of one sample. */
    double loss(float[] y, int label) {
        float[] p = probabilities(y);
        return -Math.log(Math.min(Math.max(p[label], EPS), 1 - EPS));
    }

    /**
     * The mean loss of a batch; fills {@code grad} (per sample) with the gradient of the mean loss with respect to
     * the output (or the fused softmax/sigmoid input) and counts the correct top-1 answers into {@code correct[0]}.
     */
    double batch(float[][] y, int[] labels, float[][] grad, int[] correct) {
        int n = y.length;
        double total = 0;
        for (int s = 0; s < n; s++) {
            float[] p = probabilities(y[s]);
            total += -Math.log(Math.min(Math.max(p[labels[s]], EPS), 1 - EPS));
            if (argmax(p) == labels[s]) {
                correct[0]++;
            }
            float[] g;
            if (kind == Kind.SIGMOID) {
                g = new float[] {(p[1] - labels[s]) / n};
            } else {
                g = new float[p.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (p[i] - (i == labels[s] ? 1f : 0f)) / n;
                }
            }
            grad[s] = g;
        }
        return total / n;
    }
}

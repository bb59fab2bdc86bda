package k210studio.converter.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.layer.*;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cross-entropy the trainer minimises, checked end to end: for a Dense classifier ending in softmax (fused
 * gradient p − onehot), in an Activation softmax layer, in one sigmoid unit (binary) or in plain logits, the
 * weight gradients the loss and the backward pass give match central differences of the mean loss.
 */
class LossGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"dense-softmax", "activation-softmax", "sigmoid", "logits"})
    void meanCrossEntropyGradientMatchesFiniteDifferences(String kind) throws Exception {
        Graph g = new Graph("loss");
        String x = g.add("input", new Input(TensorShape.of(6)));
        x = g.add("hidden", new Dense(5, true, ActivationFn.TANH), x);
        int classes = kind.equals("sigmoid") ? 2 : 3;
        switch (kind) {
            case "dense-softmax" -> x = g.add("out", new Dense(3, true, ActivationFn.SOFTMAX), x);
            case "activation-softmax" -> x = g.add("act", new Activation(ActivationFn.SOFTMAX), g.add("out", new Dense(3, true, ActivationFn.LINEAR), x));
            case "sigmoid" -> x = g.add("out", new Dense(1, true, ActivationFn.SIGMOID), x);
            default -> x = g.add("out", new Dense(3, true, ActivationFn.LINEAR), x);
        }
        g.setOutputs(List.of(x));
        TrainableNetwork net = new TrainableNetwork(g, true, 5);
        ClassificationLoss loss = ClassificationLoss.forNetwork(net, classes);
        assertThat(loss.kind).isEqualTo(kind.equals("sigmoid") ? ClassificationLoss.Kind.SIGMOID
                : kind.equals("logits") ? ClassificationLoss.Kind.LOGITS : ClassificationLoss.Kind.SOFTMAX);
        Random r = new Random(9);
        float[][] in = new float[4][6];
        int[] labels = new int[4];
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 6; i++) {
                in[s][i] = (float) r.nextGaussian() * 2;
            }
            labels[s] = r.nextInt(classes);
        }
        float[][] y = net.forward(in, true, 1);
        float[][] grad = new float[4][];
        loss.batch(y, labels, grad, new int[1]);
        net.backward(grad);
        for (Param p : net.trainableParams()) {
            float[] analytic = p.grad.clone();
            for (int i = 0; i < p.value.length; i++) {
                float keep = p.value[i];
                double h = 1e-3;
                p.value[i] = (float) (keep + h);
                double up = mean(loss, net.forward(in, true, 1), labels);
                p.value[i] = (float) (keep - h);
                double down = mean(loss, net.forward(in, true, 1), labels);
                p.value[i] = keep;
                double num = (up - down) / (2 * h);
                assertThat(analytic[i]).as("%s %s[%d]", kind, p.name(), i).isCloseTo((float) num, org.assertj.core.data.Offset.offset(
                        (float) (2e-3 + 2e-2 * Math.abs(num))));
            }
        }
    }

    private static double mean(ClassificationLoss loss, float[][] y, int[] labels) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += loss.loss(y[i], labels[i]);
        }
        return s / y.length;
    }
}

package k210studio.app.preprocess;

import java.util.List;
import java.util.Map;
import k210studio.app.simulate.Simulator;
import k210studio.converter.compile.CompileException;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.post.Scored;
import k210studio.kpu.post.TopN;

/**
 * The float network's top-k on one image under a preprocessing: what the import question previews live while the
 * user picks a preset. The image goes in exactly as Simulate feeds the float side (the board's resize, one
 * mean/std for all channels as the K210 takes it).
 */
public final class FloatPreview {
    private FloatPreview() {
    }

    /** The top-k of the first output, or an exception naming why the network cannot run on the image. */
    public static List<Scored> top(Graph g, RgbImage img, Preprocessing p, List<String> labels, int k) throws CompileException {
        TensorShape in = Simulator.imageInput(g);
        Simulator.PixelNormalization n = Simulator.normalization(p, in.c());
        Tensor x = Simulator.tensor(img, in, n, p.channelOrder());
        EvaluationResult r = FloatEvaluator.evaluate(g, Map.of(g.inputIds().get(0), x), false);
        return TopN.of(r.output(0).data(), k, labels);
    }
}

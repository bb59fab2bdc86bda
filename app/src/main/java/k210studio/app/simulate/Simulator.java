package k210studio.app.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.assets.Assets;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.compile.KmodelComparison;
import k210studio.converter.compile.LayerTensorMap;
import k210studio.converter.compile.PlannedValue;
import k210studio.converter.compile.Storage;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.quant.QuantParam;
import k210studio.converter.quant.QuantRules;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.rules.CheckReport;
import k210studio.ir.rules.K210Checker;
import k210studio.ir.rules.LayerCheck;
import k210studio.ir.rules.Target;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.RegionLayer;
import k210studio.kpu.post.TopN;
import k210studio.kpu.post.UltraFaceDecoder;

/**
 * The simulation engine behind the Simulate panel (no JavaFX): image → board input → float evaluator and K210
 * (compile in memory, load, kpu-sim) side by side.
 *
 * <p>Matching kmodel layers to IR layers: the compile records, for every kmodel layer (V3) or node (V4), the value it
 * writes and the IR layer of the prepared graph whose output that value holds ({@link LayerTensorMap}; data moves
 * such as uploads, pads and (de)quantizations carry the tensor they move); {@link KmodelComparison} then lays each
 * snapshot, dequantized with the value's own scale, over that layer's float output in CHW order (a padded or stride-1
 * value over the window that holds it). Rows with no float counterpart (a pre-activation, a scratch) show the
 * snapshot alone.
 */
public final class Simulator {
    private Simulator() {
    }

    /** The board's preprocessing as the compiler takes it: x = (pixel − mean) / std with pixels 0…255. */
    public record PixelNormalization(float mean, float std, String warning) {
    }

    /** A project preprocessing in pixel units (channel 0; per-channel values that differ give a warning). */
    public static PixelNormalization normalization(Preprocessing p, int channels) {
        float s = p.inputScale();
        // scale 1/255 stored as a float makes 1/(1/255) = 254.99998: snap such round-off to 3 decimals
        float mean = snap(p.meanOf(0) / (double) s);
        float std = snap(p.stdOf(0) / (double) s);
        String warning = null;
        for (int c = 1; c < channels; c++) {
            if (p.mean().size() > c || p.std().size() > c) {
                if (p.meanOf(c) != p.meanOf(0) || p.stdOf(c) != p.stdOf(0)) {
                    warning = "the K210 input has one mean/std for all channels; using channel 0's (" + mean + ", " + std + ")";
                }
            }
        }
        if (std < 0) {
            mean = -mean;
            std = -std;
        }
        return new PixelNormalization(mean, std, warning);
    }

    static float snap(double v) {
        double r = Math.round(v * 1000) / 1000.0;
        return (float) (Math.abs(r - v) < 1e-4 * Math.max(1, Math.abs(v)) ? r : v);
    }

    /** Reads a bundled image ("images/face.jpg") or a file. */
    public static RgbImage readImage(String assetOrPath) throws ImageDecodeException, IOException {
        if (Assets.exists(assetOrPath)) {
            try (InputStream in = Assets.open(assetOrPath)) {
                return ImageFiles.decode(in.readAllBytes(), assetOrPath);
            }
        }
        return ImageFiles.read(Path.of(assetOrPath));
    }

    /** The board input: planar uint8 C×H×W, resized bilinearly (MaixPy's image resize), BGR swapped if asked. */
    public static byte[] planar(RgbImage img, int c, int h, int w, ChannelOrder order) {
        return new k210studio.converter.train.BoardInput(h, w, c, 0f, 1f, order).planar(img);
    }

    /** The project's single image input shape, or an exception naming why the simulator cannot feed it. */
    public static TensorShape imageInput(Graph g) throws CompileException {
        List<String> ins = g.inputIds();
        if (ins.size() != 1) {
            throw new CompileException("the simulator feeds one image input; this network has " + ins.size() + " inputs", null);
        }
        Map<String, TensorShape> shapes = ShapeInference.infer(g).shapes();
        TensorShape s = shapes.get(ins.get(0));
        if (s == null || !s.isImage() || (s.c() != 1 && s.c() != 3)) {
            throw new CompileException("the input '" + g.layer(ins.get(0)).name() + "' is " + s + ", not an H×W×1 or H×W×3 image", g.layer(ins.get(0)).name());
        }
        return s;
    }

    /**
     * Compiles a project in memory. Calibration uses the project's sample images (bundled or files) plus
     * {@code extra}; at least one image is needed.
     */
    public static K210Compiler.Result compile(Project project, Target target, List<RgbImage> extra, K210Compiler.Progress progress)
            throws CompileException {
        Graph g = project.graph();
        TensorShape in = imageInput(g);
        PixelNormalization n = normalization(project.settings().preprocessing(), in.c());
        List<Tensor> samples = new ArrayList<>();
        for (String name : project.settings().sampleImages()) {
            try {
                samples.add(tensor(readImage(name), in, n, project.settings().preprocessing().channelOrder()));
            } catch (ImageDecodeException | IOException e) {
                // a missing sample image only costs calibration data
            }
        }
        for (RgbImage img : extra) {
            samples.add(tensor(img, in, n, project.settings().preprocessing().channelOrder()));
        }
        if (samples.isEmpty()) {
            throw new CompileException("no calibration image: add sample images to the project or pick an image first", null);
        }
        CompileOptions opt = CompileOptions.defaults(target == Target.V3 ? QuantRules.V3 : QuantRules.V4).withPreprocessing(n.mean(), n.std());
        return K210Compiler.compile(g, samples, opt, progress);
    }

    /** One image as the model input tensor (board input, then x = (p − mean) / std). */
    public static Tensor tensor(RgbImage img, TensorShape in, PixelNormalization n, ChannelOrder order) {
        return CalibrationDataset.fromPlanar(planar(img, in.c(), in.h(), in.w(), order), in.h(), in.w(), in.c(), n.mean(), n.std());
    }

    /** Runs a project on one image: float evaluator and the compiled kmodel on the simulator, compared layer by layer. */
    public static SimulationResult runProject(Project project, Target target, K210Compiler.Result compiled, String imageName,
                                              RgbImage img, PostProcessing pp) throws CompileException, KmodelFormatException {
        Graph g = project.graph();
        TensorShape in = imageInput(g);
        PixelNormalization n = normalization(project.settings().preprocessing(), in.c());
        ChannelOrder order = project.settings().preprocessing().channelOrder();
        byte[] planar = planar(img, in.c(), in.h(), in.w(), order);
        Tensor x = CalibrationDataset.fromPlanar(planar, in.h(), in.w(), in.c(), n.mean(), n.std());
        // the float reference runs on the compiler's prepared graph (BN folded, activations fused into their conv,
        // dropout gone: the same function), which the compile's layer map names
        Graph prepared = compiled.prepared();
        EvaluationResult fr = FloatEvaluator.evaluate(prepared, Map.of(prepared.inputIds().get(0), x), true);
        Kmodel m = compiled.model();
        RunResult kr = m.run(input(m, planar, in.c(), in.h(), in.w()), RunOptions.defaults().withTraceOutputs(true));

        CheckReport check = K210Checker.check(g);
        LayerTensorMap map = compiled.layers();
        boolean mapped = map.layers().size() == kr.layers().size();
        KmodelComparison cmp = mapped ? KmodelComparison.of(prepared, fr, kr, map) : null;
        List<LayerRow> rows = new ArrayList<>();
        for (LayerTrace t : kr.layers()) {
            String layer = null;
            String verdict = "";
            FeatureMap k = null;
            FeatureMap ref = null;
            double cos = Double.NaN;
            double max = Double.NaN;
            String compareNote = null;
            if (mapped) {
                LayerTensorMap.Entry e = map.layer(t.index());
                KmodelComparison.LayerMatch lm = cmp.layers().get(t.index());
                layer = e.source();
                if (lm.fit() != null) {
                    int[] s = lm.fit().chw();
                    k = new FeatureMap(s[0], s[1], s[2], lm.fit().k210());
                    ref = new FeatureMap(s[0], s[1], s[2], lm.fit().reference());
                    cos = lm.stats().cosine();
                    max = lm.stats().maxAbsDiff();
                    compareNote = "vs float " + lm.floatLayer() + (lm.window().whole() ? ""
                            : ", the " + lm.window() + " of " + lm.shape()[1] + "×" + lm.shape()[2]);
                } else {
                    compareNote = lm.note();
                    k = e.value() == null ? null : dequantize(t.output(), e.value());
                }
                Layer src = g.layerNamed(layer);
                if (src != null) {
                    LayerCheck lc = check.layer(src.id());
                    if (lc != null) {
                        verdict = lc.verdict(target).display();
                    }
                }
            } else if (t.output() != null) {
                k = flat(t.output());
            }
            rows.add(new LayerRow(t.index(), t.type(), t.unit().name(), layer, verdict.isEmpty() ? t.unit().name() : verdict, cos, max,
                    t.estimatedCycles(), k, ref, compareNote));
        }
        ModelAnswer fa = answer(floatOutputs(fr), img, in, pp);
        ModelAnswer ka = answer(kmodelOutputs(m, kr), img, in, pp);
        String note = mapped ? null : "the kmodel has " + kr.layers().size() + " layers for " + map.layers().size()
                + " mapped ones: layers are not matched to IR layers";
        if (n.warning() != null) {
            note = note == null ? n.warning() : note + "; " + n.warning();
        }
        return new SimulationResult(imageName, img, planar, in.c(), in.h(), in.w(), fa, ka, rows, kr.totalEstimatedCycles(), note);
    }

    /** Runs a kmodel opened on its own (no float side): the image as the board feeds it, every layer's trace. */
    public static SimulationResult runKmodel(Kmodel m, String imageName, RgbImage img, PostProcessing pp) throws KmodelFormatException {
        if (m.inputs().isEmpty()) {
            throw new KmodelFormatException("the model declares no input");
        }
        TensorDescription d = m.inputs().get(0);
        List<Integer> s = d.shape();
        if (d.type() != ElementType.UINT8 || s.size() < 3) {
            throw new KmodelFormatException("this model takes " + d.type().name().toLowerCase(Locale.ROOT) + " " + s + ", not an image");
        }
        int c = s.get(s.size() - 3);
        int h = s.get(s.size() - 2);
        int w = s.get(s.size() - 1);
        if (c != 1 && c != 3) {
            throw new KmodelFormatException("the model input has " + c + " channels; images give 1 or 3");
        }
        byte[] planar = planar(img, c, h, w, ChannelOrder.RGB);
        RunResult kr = m.run(input(m, planar, c, h, w), RunOptions.defaults().withTraceOutputs(true));
        List<LayerRow> rows = new ArrayList<>();
        for (LayerTrace t : kr.layers()) {
            rows.add(new LayerRow(t.index(), t.type(), t.unit().name(), null, t.unit().name(), Double.NaN, Double.NaN,
                    t.estimatedCycles(), t.output() == null ? null : flat(t.output()), null));
        }
        ModelAnswer ka = answer(kmodelOutputs(m, kr), img, TensorShape.hwc(h, w, c), pp);
        return new SimulationResult(imageName, img, planar, c, h, w, null, ka, rows, kr.totalEstimatedCycles(), null);
    }

    private static KmodelTensor input(Kmodel m, byte[] planar, int c, int h, int w) {
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().isEmpty() ? new int[] {c, h, w} : d.shape().stream().mapToInt(Integer::intValue).toArray();
        return KmodelTensor.ofUint8(shape, planar);
    }

    static FeatureMap dequantize(KmodelTensor t, PlannedValue v) {
        if (t == null || t.elementCount() != v.elements()) {
            return t == null ? null : flat(t);
        }
        float[] x = t.toFloatArray();
        if (t.type() != ElementType.FLOAT32 && v.storage() != Storage.MAIN_F32 && v.quant() != null) {
            QuantParam q = v.quant();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((x[i] - q.zeroPoint()) / q.scale());
            }
        }
        return new FeatureMap(v.c(), v.h(), v.w(), x);
    }

    static FeatureMap flat(KmodelTensor t) {
        int[] s = t.shape();
        float[] x = t.toFloatArray();
        if (s.length >= 3 && (long) s[s.length - 3] * s[s.length - 2] * s[s.length - 1] == x.length) {
            return new FeatureMap(s[s.length - 3], s[s.length - 2], s[s.length - 1], x);
        }
        return new FeatureMap(x.length, 1, 1, x);
    }

    /** Float outputs as CHW maps (the kmodel's order), so one decoder serves both sides. */
    static List<FeatureMap> floatOutputs(EvaluationResult r) {
        List<FeatureMap> out = new ArrayList<>();
        for (int i = 0; i < r.outputIds().size(); i++) {
            out.add(FeatureMap.ofNhwc(r.output(i)));
        }
        return out;
    }

    static List<FeatureMap> kmodelOutputs(Kmodel m, RunResult r) {
        List<FeatureMap> out = new ArrayList<>();
        for (KmodelTensor t : r.outputs()) {
            out.add(flat(t));
        }
        return out;
    }

    /** Decodes outputs as the post-processing says; a mismatch becomes the answer's error, never an exception. */
    static ModelAnswer answer(List<FeatureMap> outs, RgbImage img, TensorShape in, PostProcessing pp) {
        float[] first = outs.isEmpty() ? new float[0] : outs.get(0).chw();
        try {
            switch (pp.kind()) {
                case CLASSIFIER:
                    return new ModelAnswer(TopN.of(first, pp.topK(), pp.labels()), null, first, null);
                case YOLO2: {
                    FeatureMap o = outs.get(0);
                    int c = o.c();
                    int gh = o.h();
                    int gw = o.w();
                    if (gh == 1 && gw == 1) {
                        gw = in.w() / 32;
                        gh = in.h() / 32;
                        if (gw == 0 || gh == 0 || first.length % (gw * gh) != 0) {
                            throw new IllegalArgumentException("output 0 has " + first.length + " values, not C × " + (in.h() / 32) + " × " + (in.w() / 32));
                        }
                        c = first.length / (gw * gh);
                    }
                    RegionLayer rl = new RegionLayer(pp.anchors(), pp.threshold(), pp.nms());
                    List<Detection> boxes = rl.decode(first, gw, gh, c, img.width(), img.height(), pp.labels().isEmpty() ? null : pp.labels());
                    return new ModelAnswer(null, boxes, first, null);
                }
                case ULTRA_FACE: {
                    if (outs.size() != 2 && outs.size() != 3) {
                        throw new IllegalArgumentException("an SSD face detector has 2 outputs (boxes, scores) or 3 (boxes, landmarks, "
                                + "scores); this model has " + outs.size());
                    }
                    float[] boxes = outs.get(0).chw();
                    float[] scores = outs.get(outs.size() - 1).chw();
                    UltraFaceDecoder d = UltraFaceDecoder.forPriorCount(in.w(), in.h(), boxes.length / 4, pp.threshold(), pp.nms());
                    if (d == null) {
                        throw new IllegalArgumentException(boxes.length / 4 + " priors at " + in.w() + "×" + in.h() + " match no known face "
                                + "detector (Ultra-Light RFB-320: " + UltraFaceDecoder.rfb320(in.w(), in.h(), 0, 0).priorCount()
                                + ", facedetect_landmark: " + UltraFaceDecoder.landmark320(in.w(), in.h(), 0, 0).priorCount() + ")");
                    }
                    return new ModelAnswer(null, d.decode(boxes, scores, img.width(), img.height(), pp.labels()), first, null);
                }
                default:
                    return new ModelAnswer(null, null, first, null);
            }
        } catch (RuntimeException e) {
            return new ModelAnswer(null, null, first, e.getMessage());
        }
    }
}

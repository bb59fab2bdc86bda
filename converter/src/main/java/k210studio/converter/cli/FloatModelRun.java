package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.converter.eval.EvaluationException;
import k210studio.converter.eval.EvaluationResult;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.converter.imaging.DecodedImage;
import k210studio.converter.imaging.ImageDecoder;
import k210studio.converter.imaging.ImageFormatException;
import k210studio.converter.imaging.ImagePreprocessor;
import k210studio.converter.tflite.ImportDiagnostic;
import k210studio.converter.tflite.ImportedModel;
import k210studio.converter.tflite.InputEncoding;
import k210studio.converter.tflite.TensorInfo;
import k210studio.converter.tflite.TensorType;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Labels;
import k210studio.kpu.post.Scored;
import k210studio.kpu.post.TopN;

/**
 * The float branch of {@code ./k210 run}: imports a .tflite model and runs it with the float
 * evaluator. The input is fed as the original file expects (see {@link InputEncoding}); outputs
 * are real values (plus the integer codes for quantized outputs), the top classes of output 0 and,
 * with --yolo, its YOLOv2 boxes. The JSON has the keys of the kmodel branch (outputs, top, boxes)
 * plus model/format/engine/input/timeMs. Exit codes: 0 done, 2 unreadable model or input, or a
 * model that cannot run.
 */
public final class FloatModelRun {
    private FloatModelRun() {
    }

    /** True for the model files this branch runs: TFLite and Keras (.h5 / .hdf5 / .keras). */
    public static boolean handles(Path model) {
        if (model == null || model.getFileName() == null) {
            return false;
        }
        String n = model.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".tflite") || isKeras(n);
    }

    private static boolean isKeras(String lowerName) {
        return lowerName.endsWith(".h5") || lowerName.endsWith(".hdf5") || lowerName.endsWith(".keras");
    }

    /** A Keras model in the TFLite branch's terms: float32 input and outputs, shapes with the batch. */
    private static ImportedModel fromKeras(Path file) throws UsageException, IOException {
        k210studio.converter.keras.ImportedKerasModel k;
        try {
            k = k210studio.converter.keras.KerasImporter.importFile(file);
        } catch (k210studio.converter.keras.KerasImportException e) {
            throw new UsageException(e.getMessage());
        }
        List<TensorInfo> ins = new java.util.ArrayList<>();
        for (k210studio.converter.keras.ModelInput mi : k.inputs()) {
            ins.add(new TensorInfo(mi.name(), mi.layerId(), k210studio.converter.tflite.TensorType.FLOAT32, withBatch(mi.shape().dims()), null));
        }
        k210studio.ir.shape.ShapeResult shapes = k210studio.ir.shape.ShapeInference.infer(k.graph());
        List<TensorInfo> outs = new java.util.ArrayList<>();
        for (String id : k.graph().outputIds()) {
            int[] dims = shapes.shape(id) == null ? new int[0] : shapes.shape(id).dims();
            outs.add(new TensorInfo(k.graph().layer(id).name(), id, k210studio.converter.tflite.TensorType.FLOAT32, withBatch(dims), null));
        }
        return new ImportedModel(k.graph(), ins, outs, List.of(), Map.of());
    }

    private static int[] withBatch(int[] dims) {
        int[] s = new int[dims.length + 1];
        s[0] = 1;
        System.arraycopy(dims, 0, s, 1, dims.length);
        return s;
    }

    public static int run(RunRequest req, PrintWriter out, PrintWriter err) {
        try {
            return doRun(req, out);
        } catch (UsageException | TfliteFormatException | ImageFormatException | EvaluationException
                 | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A wrong combination of options or an input that does not fit the model. */
    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    private static int doRun(RunRequest req, PrintWriter out)
            throws UsageException, TfliteFormatException, ImageFormatException, IOException {
        int given = (req.image() != null ? 1 : 0) + (req.values() != null ? 1 : 0) + (req.inputFile() != null ? 1 : 0);
        if (given != 1) {
            throw new UsageException("give exactly one of --image, --input or --input-file");
        }
        ImportedModel m = isKeras(req.model().getFileName().toString().toLowerCase(Locale.ROOT))
                ? fromKeras(req.model()) : TfliteImporter.importFile(req.model());
        if (m.hasErrors()) {
            StringBuilder b = new StringBuilder("the model cannot run in the float evaluator:");
            for (ImportDiagnostic d : m.diagnostics()) {
                if (d.severity() == ImportDiagnostic.Severity.ERROR) {
                    b.append("\n  ").append(d.message());
                }
            }
            throw new UsageException(b.toString());
        }
        if (m.inputs().size() != 1) {
            throw new UsageException("the model has " + m.inputs().size() + " inputs; `run` feeds single-input models");
        }
        TensorInfo in = m.inputs().get(0);
        int[] shape = InputEncoding.irShape(in);
        Tensor x;
        String source;
        int imageW = 0;
        int imageH = 0;
        if (req.image() != null) {
            if (shape.length != 3 || (shape[2] != 1 && shape[2] != 3)) {
                throw new UsageException("the input '" + in.name() + "' is " + Arrays.toString(in.shape())
                        + ", not an image with 1 or 3 channels: use --input or --input-file");
            }
            DecodedImage img = ImageDecoder.decode(req.image());
            imageW = img.width();
            imageH = img.height();
            int[] px = ImagePreprocessor.pixels(img, shape[0], shape[1], shape[2], req.nearest(), req.invert());
            x = InputEncoding.fromPixels(in, px, req.mean(), req.std(), req.rawInt8());
            source = "image " + req.image().getFileName() + " (" + img.width() + "×" + img.height() + " → "
                    + shape[1] + "×" + shape[0] + ", " + encodingText(in, req) + ")";
        } else if (req.values() != null) {
            x = InputEncoding.fromValues(in, req.values());
            source = req.values().length + " values" + (in.quantized() ? " (integer codes of the " + in.dtype() + " input)" : "");
        } else {
            x = InputEncoding.fromValues(in, readRaw(req.inputFile(), in));
            source = "file " + req.inputFile().getFileName();
        }
        EvaluationResult r = FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), x), req.trace());
        List<String> labels = req.labels() == null ? null : Labels.read(req.labels());
        TensorInfo o0 = m.outputs().get(0);
        float[] first = r.tensors().get(o0.layerId()).data();
        int[] firstShape = r.tensors().get(o0.layerId()).shape();
        boolean detector = req.anchors() != null || req.ssd() != null;
        int n = req.top() != null ? req.top() : (!detector && firstShape.length == 1 && first.length > 1 ? 5 : 0);
        List<String> topLabels = labels;
        if (labels != null && labels.size() == first.length + 1 && labels.get(0).trim().equalsIgnoreCase("background")) {
            topLabels = labels.subList(1, labels.size()); // a 1001-line ImageNet file on a 1000-class model
        }
        List<Scored> top = n > 0 ? TopN.of(first, n, topLabels) : List.of();
        List<Detection> boxes = List.of();
        if (req.anchors() != null) {
            if (firstShape.length != 3) {
                throw new UsageException("--yolo needs an output of shape [1, H, W, C]; output 0 is "
                        + Arrays.toString(o0.shape()));
            }
            int gh = firstShape[0];
            int gw = firstShape[1];
            int c = firstShape[2];
            float[] chw = new float[first.length];
            for (int y = 0; y < gh; y++) {
                for (int xx = 0; xx < gw; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        chw[(ch * gh + y) * gw + xx] = first[(y * gw + xx) * c + ch];
                    }
                }
            }
            boxes = DetectionDecoding.yolo(chw, c, gh, gw, req.anchors(), req.threshold(), req.nms(),
                    imageW > 0 ? imageW : shape[1], imageH > 0 ? imageH : shape[0], labels);
        } else if (req.ssd() != null) {
            if (shape.length != 3) {
                throw new UsageException("--ssd needs an image input [1, H, W, C]; the input is " + Arrays.toString(in.shape()));
            }
            List<float[]> outs = new java.util.ArrayList<>();
            for (TensorInfo oi : m.outputs()) {
                outs.add(r.tensors().get(oi.layerId()).data());
            }
            boxes = DetectionDecoding.ssd(req.ssd(), outs, shape[1], shape[0], req.threshold(), req.nms(),
                    imageW > 0 ? imageW : shape[1], imageH > 0 ? imageH : shape[0], labels);
        }
        if (req.json()) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            root.put("model", req.model().toString());
            root.put("format", "tflite");
            root.put("engine", "float");
            ObjectNode jin = root.putObject("input");
            jin.put("name", in.name());
            jin.put("dtype", in.dtype().name().toLowerCase(Locale.ROOT));
            ArrayNode is = jin.putArray("shape");
            Arrays.stream(in.shape()).forEach(is::add);
            if (in.quantized()) {
                jin.put("scale", in.scale());
                jin.put("zeroPoint", in.zeroPoint());
            }
            jin.put("source", source);
            ArrayNode outs = root.putArray("outputs");
            for (TensorInfo oi : m.outputs()) {
                float[] v = r.tensors().get(oi.layerId()).data();
                ObjectNode o = outs.addObject();
                o.put("name", oi.name());
                ArrayNode s = o.putArray("shape");
                Arrays.stream(oi.shape()).forEach(s::add);
                o.put("dtype", "float32");
                ArrayNode data = o.putArray("data");
                for (float f : v) {
                    data.add(f);
                }
                if (oi.quantized()) {
                    o.put("fileDtype", oi.dtype().name().toLowerCase(Locale.ROOT));
                    o.put("scale", oi.scale());
                    o.put("zeroPoint", oi.zeroPoint());
                    ArrayNode q = o.putArray("quantized");
                    for (long c : InputEncoding.quantize(oi, v)) {
                        q.add(c);
                    }
                }
            }
            ClassesAndBoxes.json(root, top, boxes);
            root.put("timeMs", r.nanos() / 1e6);
            if (req.trace()) {
                ArrayNode tr = root.putArray("trace");
                for (String id : r.layerNanos().keySet()) {
                    Tensor t = r.tensor(id);
                    float[] st = stats(t.data());
                    ObjectNode e = tr.addObject();
                    e.put("layer", m.graph().layer(id).name());
                    e.put("type", m.graph().layer(id).params().kerasName());
                    ArrayNode sh = e.putArray("shape");
                    Arrays.stream(t.shape()).forEach(sh::add);
                    e.put("min", st[0]).put("max", st[1]).put("mean", st[2]);
                    e.put("timeMs", r.layerNanos().get(id) / 1e6);
                }
            }
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
        out.println("model: " + req.model().getFileName() + " (TFLite, float evaluator)");
        out.println("input: " + in + " <- " + source);
        for (int i = 0; i < m.outputs().size(); i++) {
            TensorInfo oi = m.outputs().get(i);
            float[] v = r.tensors().get(oi.layerId()).data();
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < Math.min(8, v.length); k++) {
                s.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[k]));
            }
            out.printf(Locale.ROOT, "output[%d]: %s float32 %s = [%s%s]%n", i, oi.name(), Arrays.toString(oi.shape()), s,
                    v.length > 8 ? ", ..." : "");
            if (oi.quantized() && v.length <= 16) {
                out.printf(Locale.ROOT, "  as %s codes (scale %.6g, zero point %d): %s%n", oi.dtype(), oi.scale(),
                        oi.zeroPoint(), Arrays.toString(InputEncoding.quantize(oi, v)));
            }
        }
        ClassesAndBoxes.text(out, top, detector ? boxes : null);
        if (req.trace()) {
            out.println("trace:");
            int i = 0;
            for (String id : r.layerNanos().keySet()) {
                Tensor t = r.tensor(id);
                float[] st = stats(t.data());
                out.printf(Locale.ROOT, "  L%02d %-40s %-22s %-14s min=%-10.4g max=%-10.4g mean=%-10.4g %.2f ms%n", i++,
                        shorten(m.graph().layer(id).name(), 40), m.graph().layer(id).params().kerasName(),
                        Arrays.toString(t.shape()).replace(" ", ""), st[0], st[1], st[2], r.layerNanos().get(id) / 1e6);
            }
        }
        out.printf(Locale.ROOT, "time: %.1f ms%n", r.nanos() / 1e6);
        List<ImportDiagnostic> warnings = new ArrayList<>();
        for (ImportDiagnostic d : m.diagnostics()) {
            if (d.severity() == ImportDiagnostic.Severity.WARNING && !d.code().equals("quantized-input")) {
                warnings.add(d);
            }
        }
        for (ImportDiagnostic d : warnings) {
            out.println("note: " + d.message());
        }
        return 0;
    }

    /** min, max, mean of a tensor's values. */
    private static float[] stats(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
            sum += f;
        }
        return new float[] {lo, hi, v.length == 0 ? 0f : (float) (sum / v.length)};
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }

    private static String encodingText(TensorInfo in, RunRequest req) {
        if (in.quantized() && req.mean() == null && req.std() == null) {
            String q = in.dtype() == TensorType.INT8 ? (req.rawInt8() ? "raw bytes as int8" : "pixel − 128") : "raw pixels";
            return in.dtype() + " " + q + ", scale " + in.scale() + " zero point " + in.zeroPoint();
        }
        float mean = req.mean() == null ? 0 : req.mean();
        float std = req.std() == null ? 1 : req.std();
        return "x = (pixel − " + mean + ") / " + std;
    }

    /** Raw little-endian elements of the input's file type (float32 for float inputs), NHWC. */
    private static float[] readRaw(Path file, TensorInfo in) throws IOException, UsageException {
        byte[] b = Files.readAllBytes(file);
        int[] s = InputEncoding.irShape(in);
        long n = 1;
        for (int d : s) {
            n *= d;
        }
        TensorType t = in.dtype();
        int size = t == TensorType.UINT8 || t == TensorType.INT8 ? 1 : t == TensorType.INT16 ? 2 : 4;
        if (b.length != n * size) {
            throw new UsageException("the input file has " + b.length + " bytes but the input " + Arrays.toString(in.shape())
                    + " of " + t + " needs " + n * size + " (little-endian, NHWC)");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            switch (t) {
                case UINT8: v[i] = Byte.toUnsignedInt(bb.get(i)); break;
                case INT8: v[i] = bb.get(i); break;
                case INT16: v[i] = bb.getShort(2 * i); break;
                case INT32: v[i] = bb.getInt(4 * i); break;
                default: v[i] = bb.getFloat(4 * i); break;
            }
        }
        return v;
    }
}

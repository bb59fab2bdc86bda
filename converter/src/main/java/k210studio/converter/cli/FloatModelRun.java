package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
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

/**
 * The float branch of {@code ./k210 run}: imports a .tflite model and runs it with the float
 * evaluator. The input is fed as the original file expects (see {@link InputEncoding}); outputs
 * are shown as real values, plus the integer codes for quantized outputs, and the top classes.
 * Exit codes: 0 done, 2 unreadable model/input or a model that cannot run.
 */
public final class FloatModelRun {
    private FloatModelRun() {
    }

    /** True for the model files this branch runs. */
    public static boolean handles(Path model) {
        return model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tflite");
    }

    public static int run(RunRequest req, PrintStream out, PrintStream err) {
        try {
            return doRun(req, out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (TfliteFormatException | ImageFormatException | EvaluationException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** A wrong combination of options or an input that does not fit the model. */
    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    private static int doRun(RunRequest req, PrintStream out)
            throws UsageException, TfliteFormatException, ImageFormatException, IOException {
        int given = (req.image() != null ? 1 : 0) + (req.values() != null ? 1 : 0) + (req.inputFile() != null ? 1 : 0);
        if (given != 1) {
            throw new UsageException("give exactly one of --image, --input or --input-file");
        }
        ImportedModel m = TfliteImporter.importFile(req.model());
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
        if (req.image() != null) {
            if (shape.length != 3 || (shape[2] != 1 && shape[2] != 3)) {
                throw new UsageException("the input '" + in.name() + "' is " + Arrays.toString(in.shape())
                        + ", not an image with 1 or 3 channels: use --input or --input-file");
            }
            DecodedImage img = ImageDecoder.decode(req.image());
            int[] px = ImagePreprocessor.pixels(img, shape[0], shape[1], shape[2]);
            x = InputEncoding.fromPixels(in, px, req.mean(), req.std(), req.rawInt8());
            source = "image " + req.image().getFileName() + " (" + img.width() + "×" + img.height() + " → "
                    + shape[1] + "×" + shape[0] + ", " + encodingText(in, req) + ")";
        } else if (req.values() != null) {
            try {
                x = InputEncoding.fromValues(in, req.values());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            source = req.values().length + " values" + (in.quantized() ? " (integer codes of the " + in.dtype() + " input)" : "");
        } else {
            x = InputEncoding.fromValues(in, readRaw(req.inputFile(), in));
            source = "file " + req.inputFile().getFileName();
        }
        EvaluationResult r = FloatEvaluator.evaluate(m.graph(), Map.of(in.layerId(), x), false);
        List<String> labels = req.labels() == null ? null : Files.readAllLines(req.labels(), StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", req.model().toString());
        json.put("format", "tflite");
        json.put("engine", "float");
        Map<String, Object> jin = new LinkedHashMap<>();
        jin.put("name", in.name());
        jin.put("dtype", in.dtype().toString());
        jin.put("shape", in.shape());
        if (in.quantized()) {
            jin.put("scale", in.scale());
            jin.put("zeroPoint", in.zeroPoint());
        }
        jin.put("source", source);
        json.put("input", jin);
        List<Object> jouts = new ArrayList<>();
        for (int i = 0; i < m.outputs().size(); i++) {
            TensorInfo oi = m.outputs().get(i);
            Tensor t = r.tensors().get(oi.layerId());
            jouts.add(outputJson(oi, t, labels, req.top()));
        }
        json.put("outputs", jouts);
        json.put("timeMs", r.nanos() / 1e6);
        if (req.json()) {
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            printText(out, req, m, source, jouts, r.nanos());
        }
        return 0;
    }

    private static String encodingText(TensorInfo in, RunRequest req) {
        if (in.quantized() && req.mean() == null && req.std() == null) {
            String q = in.dtype() == TensorType.INT8 ? (req.rawInt8() ? "raw bytes as int8" : "pixel − 128")
                    : "raw pixels";
            return in.dtype() + " " + q + ", scale " + in.scale() + " zero point " + in.zeroPoint();
        }
        float mean = req.mean() == null ? 0 : req.mean();
        float std = req.std() == null ? 1 : req.std();
        return "x = (pixel − " + fmt(mean) + ") / " + fmt(std);
    }

    private static float[] readRaw(Path file, TensorInfo in) throws IOException, UsageException {
        byte[] b = Files.readAllBytes(file);
        int[] s = InputEncoding.irShape(in);
        long n = 1;
        for (int d : s) {
            n *= d;
        }
        int size = in.dtype().bytes();
        if (size == 0 || (!in.dtype().isFloat() && !in.quantized() && in.dtype() != TensorType.INT32)) {
            size = 4;
        }
        if (b.length != n * size) {
            throw new UsageException("the input file has " + b.length + " bytes but the input " + Arrays.toString(in.shape())
                    + " of " + in.dtype() + " needs " + n * size);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[(int) n];
        for (int i = 0; i < n; i++) {
            switch (in.dtype()) {
                case UINT8: v[i] = Byte.toUnsignedInt(bb.get(i)); break;
                case INT8: v[i] = bb.get(i); break;
                case INT16: v[i] = bb.getShort(2 * i); break;
                case INT32: v[i] = bb.getInt(4 * i); break;
                default: v[i] = bb.getFloat(4 * i); break;
            }
        }
        return v;
    }

    private static Map<String, Object> outputJson(TensorInfo oi, Tensor t, List<String> labels, int top) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", oi.name());
        o.put("dtype", oi.dtype().toString());
        o.put("shape", oi.shape());
        float[] v = t.data();
        o.put("values", v);
        if (oi.quantized()) {
            o.put("scale", oi.scale());
            o.put("zeroPoint", oi.zeroPoint());
            o.put("quantized", InputEncoding.quantize(oi, v));
        }
        if (top > 0 && v.length > 1) {
            List<Map<String, Object>> tops = new ArrayList<>();
            int offset = labels != null && labels.size() == v.length + 1 ? 1 : 0;
            IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> -v[i])).limit(top).forEach(i -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", i);
                e.put("score", v[i]);
                if (labels != null && i + offset < labels.size()) {
                    e.put("label", labels.get(i + offset).trim());
                }
                tops.add(e);
            });
            o.put("top", tops);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintStream out, RunRequest req, ImportedModel m, String source, List<Object> outs, long nanos) {
        out.println("model   " + req.model().getFileName() + " (TFLite, float evaluator)");
        out.println("input   " + m.inputs().get(0) + " ← " + source);
        for (Object oo : outs) {
            Map<String, Object> o = (Map<String, Object>) oo;
            float[] v = (float[]) o.get("values");
            out.println("output  " + o.get("name") + " " + o.get("dtype") + " " + Arrays.toString((int[]) o.get("shape")));
            if (v.length <= 16) {
                StringBuilder b = new StringBuilder("        values ");
                for (int i = 0; i < v.length; i++) {
                    b.append(i == 0 ? "[" : ", ").append(fmt(v[i]));
                }
                out.println(b.append("]"));
                if (o.containsKey("quantized")) {
                    out.println("        " + o.get("dtype") + " codes " + Arrays.toString((long[]) o.get("quantized")));
                }
            }
            List<Map<String, Object>> tops = (List<Map<String, Object>>) o.get("top");
            if (tops != null && v.length > 16) {
                int rank = 1;
                for (Map<String, Object> e : tops) {
                    out.printf(Locale.ROOT, "        #%d  %5d  %.5f  %s%n", rank++, (Integer) e.get("index"), (Float) e.get("score"),
                            e.getOrDefault("label", ""));
                }
            } else if (tops != null) {
                Map<String, Object> e = tops.get(0);
                out.println("        top " + e.get("index") + (e.containsKey("label") ? " " + e.get("label") : ""));
            }
        }
        out.printf(Locale.ROOT, "time    %.1f ms%n", nanos / 1e6);
    }

    private static String fmt(float f) {
        return f == Math.rint(f) && Math.abs(f) < 1e7 ? Integer.toString((int) f) : String.format(Locale.ROOT, "%.6g", f);
    }
}

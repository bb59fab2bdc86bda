package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.KpuRules;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.kmodel.v4.V4Kmodel;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Labels;
import k210studio.kpu.post.Scored;
import k210studio.kpu.post.TopN;

/**
 * The kmodel branch of {@code ./k210 run}: loads a V3 or V4 kmodel, builds the input (an image
 * the way MaixPy feeds it, comma-separated values, or a raw file), runs it on the simulator and
 * prints the outputs, the top-N classes and decoded YOLOv2 boxes. Exit codes: 0 done, 2 unreadable
 * model or input, or a model that cannot run.
 */
public final class KmodelRun {

    /**
     * @param model     the .kmodel file
     * @param image     an image to feed, or null
     * @param values    input values, or null
     * @param inputFile raw input bytes (u8, or little-endian f32 for float inputs), or null
     * @param labels    label file, or null
     * @param top       top-N count; null = 5 for a vector output without --yolo, else none
     * @param anchors   YOLOv2 anchors (w,h pairs in grid units), or null
     * @param threshold YOLO probability threshold
     * @param nms       YOLO NMS IoU threshold
     * @param json      JSON output
     * @param rules     KPU rule set
     * @param invert    invert image pixels (255 - v)
     * @param resize    image resize method
     * @param trace     print the per-layer trace
     * @param rgb565    pass the image through RGB565 as MaixPy images are
     * @param outputShapes kmodel V4 output shapes in output order (MaixPy's {@code kpu.set_outputs}); empty
     *                  keeps V4 outputs flat
     * @param ssd       Ultra-Light SSD prior configuration to decode the outputs with (auto, rfb320, landmark320), or null
     */
    public record Request(Path model, Path image, float[] values, Path inputFile, Path labels, Integer top,
                          float[] anchors, float threshold, float nms, boolean json, KpuRules rules, boolean invert,
                          ImageResize.Method resize, boolean trace, boolean rgb565, List<int[]> outputShapes, String ssd) {
        public Request {
            outputShapes = outputShapes == null ? List.of() : List.copyOf(outputShapes);
        }

        /** A request without output shapes. */
        public Request(Path model, Path image, float[] values, Path inputFile, Path labels, Integer top,
                       float[] anchors, float threshold, float nms, boolean json, KpuRules rules, boolean invert,
                       ImageResize.Method resize, boolean trace, boolean rgb565) {
            this(model, image, values, inputFile, labels, top, anchors, threshold, nms, json, rules, invert, resize,
                    trace, rgb565, List.of(), null);
        }
    }

    /** Bad options or an input that does not fit the model. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    private KmodelRun() {
    }

    public static int run(Request r, PrintWriter out, PrintWriter err) {
        try {
            int code = doRun(r, out);
            out.flush();
            return code;
        } catch (UsageException | ImageDecodeException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (KmodelFormatException e) {
            err.println("error: " + r.model() + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + e.getMessage());
            return 2;
        }
    }

    /** Builds the model input from an image, values or a raw file. */
    static KmodelTensor input(Kmodel m, Request r, int[] imageSize)
            throws UsageException, IOException, ImageDecodeException {
        int given = (r.image() != null ? 1 : 0) + (r.values() != null ? 1 : 0) + (r.inputFile() != null ? 1 : 0);
        if (given != 1) {
            throw new UsageException("give exactly one of --image, --input or --input-file");
        }
        if (m.inputs().isEmpty()) {
            throw new UsageException("the model declares no input it can be fed through");
        }
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().stream().mapToInt(Integer::intValue).toArray();
        if (r.image() != null) {
            if (d.type() != ElementType.UINT8 || d.shape().size() < 3) {
                throw new UsageException("this model takes " + d.type().name().toLowerCase(Locale.ROOT) + " " + d.shape()
                        + ", not an image; use --input v1,v2,... or --input-file");
            }
            List<Integer> s = d.shape();
            int c = s.get(s.size() - 3);
            int h = s.get(s.size() - 2);
            int w = s.get(s.size() - 1);
            RgbImage img = ImageFiles.read(r.image());
            imageSize[0] = img.width();
            imageSize[1] = img.height();
            byte[] planar = ModelImageInput.planar(img, w, h, c, r.resize(), r.invert(), r.rgb565());
            return KmodelTensor.ofUint8(shape, planar);
        }
        if (r.values() != null) {
            float[] v = r.values();
            if (v.length != d.elementCount()) {
                throw new UsageException("the model input " + d.shape() + " takes " + d.elementCount() + " values, "
                        + v.length + " were given");
            }
            if (d.type() == ElementType.FLOAT32) {
                return KmodelTensor.ofFloats(shape, v);
            }
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0 || v[i] > 255 || v[i] != Math.rint(v[i])) {
                    throw new UsageException("the model input is uint8: value " + v[i] + " is not an integer 0..255");
                }
                b[i] = (byte) v[i];
            }
            return KmodelTensor.ofBytes(d.type(), shape, b);
        }
        byte[] raw = Files.readAllBytes(r.inputFile());
        if (raw.length != d.byteSize()) {
            throw new UsageException(r.inputFile() + " has " + raw.length + " bytes; the model input "
                    + d.type().name().toLowerCase(Locale.ROOT) + " " + d.shape() + " needs " + d.byteSize()
                    + " (little-endian " + d.layout() + ")");
        }
        return KmodelTensor.ofBytes(d.type(), shape, raw);
    }

    private static int doRun(Request r, PrintWriter out)
            throws UsageException, IOException, ImageDecodeException, KmodelFormatException {
        Kmodel m = KmodelFiles.read(r.model());
        if (!r.outputShapes().isEmpty()) {
            if (!(m instanceof V4Kmodel v4)) {
                throw new UsageException("--output-shape is for kmodel V4 (V" + m.version()
                        + " files store their output shapes)");
            }
            m = v4.withOutputShapes(r.outputShapes());
        }
        int[] imageSize = new int[2];
        KmodelTensor in = input(m, r, imageSize);
        RunResult res = m.run(in, new RunOptions(r.rules(), false, RunOptions.DEFAULT_WORK_BUDGET));
        List<String> labels = r.labels() == null ? null : Labels.read(r.labels());
        KmodelTensor first = res.output(0);
        List<Scored> top = List.of();
        boolean detector = r.anchors() != null || r.ssd() != null;
        int n = r.top() != null ? r.top() : (!detector && first.rank() == 1 && first.elementCount() > 1 ? 5 : 0);
        if (n > 0) {
            top = TopN.of(first.toFloatArray(), n, labels);
        }
        List<Detection> boxes = List.of();
        List<Integer> inShape = m.inputs().get(0).shape();
        int inW = inShape.size() >= 2 ? inShape.get(inShape.size() - 1) : 1;
        int inH = inShape.size() >= 2 ? inShape.get(inShape.size() - 2) : 1;
        int iw = imageSize[0] == 0 ? inW : imageSize[0];
        int ih = imageSize[0] == 0 ? inH : imageSize[1];
        if (r.anchors() != null) {
            if (first.rank() < 3) {
                first = gridShaped(m, first);
            }
            int rank = first.rank();
            boxes = DetectionDecoding.yolo(first.toFloatArray(), first.dim(rank - 3), first.dim(rank - 2), first.dim(rank - 1),
                    r.anchors(), r.threshold(), r.nms(), iw, ih, labels);
        } else if (r.ssd() != null) {
            List<float[]> outs = new ArrayList<>();
            for (KmodelTensor t : res.outputs()) {
                outs.add(t.toFloatArray());
            }
            boxes = DetectionDecoding.ssd(r.ssd(), outs, inW, inH, r.threshold(), r.nms(), iw, ih, labels);
        }
        if (r.json()) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            ArrayNode outs = root.putArray("outputs");
            for (KmodelTensor t : res.outputs()) {
                ObjectNode o = outs.addObject();
                ArrayNode s = o.putArray("shape");
                for (int d : t.shape()) {
                    s.add(d);
                }
                o.put("dtype", t.type().name().toLowerCase(Locale.ROOT));
                ArrayNode data = o.putArray("data");
                for (float v : t.toFloatArray()) {
                    if (t.type() == ElementType.FLOAT32) {
                        data.add(v);
                    } else {
                        data.add((long) v);
                    }
                }
            }
            ClassesAndBoxes.json(root, top, boxes);
            if (r.trace()) {
                root.set("trace", traceJson(res, om));
            }
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
        for (int i = 0; i < res.outputs().size(); i++) {
            KmodelTensor t = res.output(i);
            float[] v = t.toFloatArray();
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < Math.min(8, v.length); k++) {
                s.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", v[k]));
            }
            out.printf(Locale.ROOT, "output[%d]: %s %s = [%s%s]%n", i, t.type().name().toLowerCase(Locale.ROOT),
                    java.util.Arrays.toString(t.shape()), s, v.length > 8 ? ", ..." : "");
        }
        ClassesAndBoxes.text(out, top, detector ? boxes : null);
        if (r.trace()) {
            out.println("trace:");
            for (LayerTrace t : res.layers()) {
                out.printf(Locale.ROOT, "  L%02d %-34s %s cycles=%d kpuRam=%d%n", t.index(), t.type(), t.unit(),
                        t.estimatedCycles(), t.kpuRamBytes());
            }
        }
        return 0;
    }

    /**
     * A flat YOLO output (kmodel V4 stores no output shape; MaixPy needs {@code kpu.set_outputs}) viewed
     * as [C, H, W] with the YOLOv2 grid of the input: H = input height / 32, W = input width / 32.
     */
    static KmodelTensor gridShaped(Kmodel m, KmodelTensor flat) throws UsageException {
        List<Integer> s = m.inputs().isEmpty() ? List.of() : m.inputs().get(0).shape();
        if (s.size() >= 2) {
            int gw = s.get(s.size() - 1) / 32;
            int gh = s.get(s.size() - 2) / 32;
            if (gw > 0 && gh > 0 && flat.elementCount() % (gw * gh) == 0) {
                return flat.reshape(flat.elementCount() / (gw * gh), gh, gw);
            }
        }
        throw new UsageException("--yolo needs an output of shape [C, H, W]; output 0 is " + flat
                + " and is not a multiple of the input's 32x32-stride grid");
    }

    private static ArrayNode traceJson(RunResult res, ObjectMapper om) {
        ArrayNode a = om.createArrayNode();
        for (LayerTrace t : res.layers()) {
            a.addObject().put("index", t.index()).put("type", t.type()).put("unit", t.unit().name())
                    .put("estimatedCycles", t.estimatedCycles()).put("kpuRamBytes", t.kpuRamBytes());
        }
        return a;
    }

    /** Parses "125x7x10" (or "125,7,10") into a shape. */
    static int[] shape(String dims, String option) throws UsageException {
        String[] parts = dims.trim().split("[x,X*]");
        int[] s = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(option + ": '" + dims + "' is not a shape like 125x7x10");
            }
            if (s[i] < 1) {
                throw new UsageException(option + ": '" + dims + "' has a dimension below 1");
            }
        }
        return s;
    }

    /** Parses "1.5,2,3" into floats. */
    static float[] floats(String csv, String option) throws UsageException {
        if (csv == null) {
            return null;
        }
        String[] parts = csv.split(",");
        List<Float> v = new ArrayList<>();
        for (String p : parts) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                v.add(Float.parseFloat(s));
            } catch (NumberFormatException e) {
                throw new UsageException(option + ": '" + s + "' is not a number");
            }
        }
        float[] r = new float[v.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = v.get(i);
        }
        return r;
    }
}

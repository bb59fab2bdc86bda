package k210studio.converter.tflite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import k210studio.converter.tflite.ops.ActivationImporter;
import k210studio.converter.tflite.ops.BinaryImporter;
import k210studio.converter.tflite.ops.ConcatImporter;
import k210studio.converter.tflite.ops.ConvImporter;
import k210studio.converter.tflite.ops.FullyConnectedImporter;
import k210studio.converter.tflite.ops.MinMaxImporter;
import k210studio.converter.tflite.ops.OpImporter;
import k210studio.converter.tflite.ops.PadImporter;
import k210studio.converter.tflite.ops.PoolImporter;
import k210studio.converter.tflite.ops.QuantizeImporter;
import k210studio.converter.tflite.ops.ResizeImporter;
import k210studio.converter.tflite.ops.ShapeOpImporter;
import k210studio.converter.tflite.ops.SoftmaxImporter;
import k210studio.converter.importing.ModelConventions;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Input;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.TensorShape;

/**
 * Imports a TensorFlow Lite model into a float {@link Graph} of the layer catalog. Operators the
 * catalog cannot express are reported (by name and count) as error diagnostics and the rest of
 * the model is still imported, so the user sees everything that needs fixing at once.
 */
public final class TfliteImporter {
    private static final Map<Integer, OpImporter> IMPORTERS = new HashMap<>();

    static {
        for (OpImporter i : List.of(new ConvImporter(), new FullyConnectedImporter(), new BinaryImporter(),
                new PoolImporter(), new ActivationImporter(), new SoftmaxImporter(), new ConcatImporter(),
                new ShapeOpImporter(), new PadImporter(), new ResizeImporter(), new QuantizeImporter(), new MinMaxImporter())) {
            for (int c : i.codes()) {
                IMPORTERS.put(c, i);
            }
        }
    }

    private TfliteImporter() {
    }

    /** True when the importer maps this builtin operator code. */
    public static boolean supports(int builtinCode) {
        return IMPORTERS.containsKey(builtinCode);
    }

    /**
     * Reads and imports a .tflite file.
     *
     * @throws IOException            when the file cannot be read
     * @throws TfliteFormatException  when it is not a valid TFLite flatbuffer
     */
    public static ImportedModel importFile(Path file) throws IOException, TfliteFormatException {
        String name = file.getFileName().toString().replaceFirst("\\.tflite$", "");
        return importModel(TfliteModelFile.read(file), name);
    }

    public static ImportedModel importBytes(byte[] bytes, String modelName) throws TfliteFormatException {
        return importModel(TfliteModelFile.read(bytes), modelName);
    }

    public static ImportedModel importModel(TfliteModelFile f, String modelName) throws TfliteFormatException {
        try {
            return doImport(f, modelName);
        } catch (TfliteFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TfliteFormatException("the TFLite model could not be imported: " + e, e);
        }
    }

    private static ImportedModel doImport(TfliteModelFile f, String modelName) throws TfliteFormatException {
        Graph g = new Graph(modelName.isBlank() ? "model" : modelName);
        ImportContext ctx = new ImportContext(f, g);
        if (f.version() != 3) {
            ctx.diagnostic(ImportDiagnostic.warning("schema-version", "the file declares schema version " + f.version()
                    + " (TFLite files are version 3); reading it as version 3"));
        }
        if (f.subgraphCount() > 1) {
            ctx.diagnostic(ImportDiagnostic.warning("subgraphs", "the model has " + f.subgraphCount()
                    + " subgraphs (control flow); only the main subgraph was imported"));
        }
        List<TensorInfo> inputs = new ArrayList<>();
        for (int t : f.inputs()) {
            TfliteTensor tt = f.tensor(t);
            if (tt.isConstant()) {
                continue;
            }
            inputs.add(importInput(ctx, tt));
        }
        Map<String, Integer> opCounts = new LinkedHashMap<>();
        Map<String, Integer> unsupported = new LinkedHashMap<>();
        int skipped = 0;
        for (TfliteOp op : f.operators()) {
            opCounts.merge(op.name(), 1, Integer::sum);
            if (op.outputs().length == 0) {
                ctx.diagnostic(ImportDiagnostic.error("invalid-op", op.label() + " has no output tensor"));
                continue;
            }
            boolean ready = true;
            for (int in : op.inputs()) {
                if (in >= 0 && !ctx.isAvailable(in)) {
                    ready = false;
                }
            }
            OpImporter imp = IMPORTERS.get(op.code());
            if (imp == null) {
                unsupported.merge(op.name(), 1, Integer::sum);
                continue;
            }
            if (!ready) {
                skipped++;
                continue;
            }
            try {
                imp.importOp(op, ctx);
            } catch (UnsupportedOpException e) {
                ctx.diagnostic(ImportDiagnostic.error("unsupported-params", e.getMessage()));
            } catch (RuntimeException e) {
                ctx.diagnostic(ImportDiagnostic.error("invalid-op", op.label() + " could not be imported: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage())));
            }
        }
        long sparse = f.tensors().stream().filter(TfliteTensor::sparse).count();
        if (sparse > 0) {
            ctx.diagnostic(ImportDiagnostic.error("sparse-weights", sparse + " weight tensor(s) are stored in TFLite's sparse "
                    + "format, which the importer does not expand: convert the model without sparsity (no "
                    + "tf.lite.Optimize.EXPERIMENTAL_SPARSITY)"));
        }
        for (Map.Entry<String, Integer> e : unsupported.entrySet()) {
            ctx.diagnostic(ImportDiagnostic.error("unsupported-op", "unsupported operator " + e.getKey() + " ×" + e.getValue()
                    + ": the layer catalog (and the K210 flow) has no equivalent; remove it from the model before converting"
                    + (e.getKey().startsWith("CUSTOM") ? " (custom operators run only in the runtime that registered them)" : "")));
        }
        if (skipped > 0) {
            ctx.diagnostic(ImportDiagnostic.error("skipped-ops", skipped
                    + " operator(s) after an unsupported one were not imported (their input is missing)"));
        }
        List<TensorInfo> outputs = new ArrayList<>();
        Set<String> outIds = new LinkedHashSet<>();
        for (int t : f.outputs()) {
            TfliteTensor tt = f.tensor(t);
            String id = ctx.producerOf(t);
            if (id == null) {
                ctx.diagnostic(ImportDiagnostic.error("missing-output", "the model output '" + tt.name()
                        + "' was not imported (it depends on an unsupported operator or is a constant)"));
                continue;
            }
            outIds.add(id);
            outputs.add(new TensorInfo(tt.name(), id, tt.type(), tt.shape(), tt.quant()));
        }
        if (!outIds.isEmpty()) {
            g.setOutputs(new ArrayList<>(outIds));
        }
        dynamicShapeDiagnostics(ctx, f);
        quantizationDiagnostics(ctx, f, inputs);
        crossCheckShapes(ctx, g);
        ModelConventions conventions = TfliteConventions.of(f, inputs, outputs);
        for (String n : conventions.notes()) {
            ctx.diagnostic(ImportDiagnostic.warning("metadata", n));
        }
        return new ImportedModel(g, inputs, outputs, ctx.diagnostics(), opCounts, conventions);
    }

    private static TensorInfo importInput(ImportContext ctx, TfliteTensor t) throws TfliteFormatException {
        int[] shape = t.shape();
        int[] ir;
        try {
            ir = ImportContext.irShape(shape);
        } catch (UnsupportedOpException e) {
            throw new TfliteFormatException(e.getMessage());
        }
        for (int d : ir) {
            if (d <= 0) {
                throw new TfliteFormatException("the model input '" + t.name() + "' has an empty dimension in its shape "
                        + Arrays.toString(shape));
            }
        }
        if (shape.length > 1 && shape[0] != 1) {
            ctx.diagnostic(ImportDiagnostic.warning("batch", "the input '" + t.name() + "' has the shape " + Arrays.toString(shape)
                    + " without a batch dimension of 1; it is imported as one sample of that whole shape (for images "
                    + "re-export the model with input shape [1, H, W, C])"));
        }
        if (t.hasDynamicShape()) {
            ctx.diagnostic(ImportDiagnostic.warning("dynamic-shape", "the input '" + t.name() + "' has dynamic dimensions "
                    + Arrays.toString(t.signature()) + "; imported with the stored shape " + Arrays.toString(shape)
                    + " (the K210 needs fixed shapes: re-export with a fixed input size)"));
        }
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("tflite.tensor", t.name());
        notes.put("tflite.dtype", t.type().toString());
        if (t.quant() != null && !t.type().isFloat()) {
            notes.put("tflite.output.quantization", t.quant().describe(t.type()));
        }
        Graph g = ctx.graph();
        String id = g.newId();
        g.addLayer(new Layer(id, g.uniqueName(t.name().isEmpty() ? "input" : t.name()), new Input(TensorShape.of(ir)),
                java.util.Map.of(), notes));
        ctx.bindInput(t.index(), id);
        if (!t.type().isFloat()) {
            String how = t.quant() == null ? "" : " (scale " + t.quant().scale(0) + ", zero point " + t.quant().zeroPoint(0)
                    + ": real = scale·(q − zero point))";
            ctx.diagnostic(new ImportDiagnostic(ImportDiagnostic.Severity.WARNING, "quantized-input", "the input '" + t.name()
                    + "' is already quantized: " + t.type() + how + ". The imported float network takes the real values; "
                    + "`run` feeds raw " + t.type() + " pixels through this scale as the original model expects.", id));
        }
        return new TensorInfo(t.name(), id, t.type(), shape, t.quant());
    }

    /** Tensors computed by operators whose non-batch dimensions are only known at run time. */
    private static void dynamicShapeDiagnostics(ImportContext ctx, TfliteModelFile f) {
        List<String> names = new ArrayList<>();
        for (TfliteOp op : f.operators()) {
            for (int t : op.outputs()) {
                if (t >= 0 && f.tensor(t).hasDynamicShape()) {
                    names.add(f.tensor(t).name() + " " + Arrays.toString(f.tensor(t).signature()));
                }
            }
        }
        if (!names.isEmpty()) {
            ctx.diagnostic(ImportDiagnostic.warning("dynamic-shape", names.size() + " tensor(s) have dimensions known only at run "
                    + "time (" + String.join(", ", names.subList(0, Math.min(3, names.size()))) + (names.size() > 3 ? ", ..." : "")
                    + "); they were imported with the shapes stored in the file. The K210 needs fixed shapes: re-export the "
                    + "model with a fixed input size."));
        }
    }

    private static void quantizationDiagnostics(ImportContext ctx, TfliteModelFile f, List<TensorInfo> inputs) {
        int perChannel = 0;
        int perTensor = 0;
        int fp16 = 0;
        Set<TensorType> types = new LinkedHashSet<>();
        for (TfliteTensor t : f.tensors()) {
            if (t.isConstant() && t.quant() != null && !t.type().isFloat() && t.type() != TensorType.INT32
                    && t.type() != TensorType.INT64) {
                types.add(t.type());
                if (t.quant().perChannel()) {
                    perChannel++;
                } else {
                    perTensor++;
                }
            }
            if (t.isConstant() && t.type() == TensorType.FLOAT16) {
                fp16++;
            }
        }
        if (perChannel + perTensor > 0) {
            ctx.diagnostic(ImportDiagnostic.warning("quantized-model", "the model is already quantized (" + types + " weights: "
                    + perChannel + " per-channel, " + perTensor + " per-tensor tensors). The weights were dequantized into a "
                    + "float network; the K210 flow re-quantizes from float with its own uint8 per-tensor scheme and calibration, "
                    + "as nncase does, so results differ slightly from this file's integer kernels. For best accuracy convert "
                    + "the float model instead. The original parameters are kept in each layer's notes."));
        }
        if (fp16 > 0) {
            ctx.diagnostic(ImportDiagnostic.info("fp16-weights", fp16 + " FLOAT16 weight tensors were dequantized to float32"));
        }
    }

    private static void crossCheckShapes(ImportContext ctx, Graph g) {
        ShapeResult r = ShapeInference.infer(g);
        for (Map.Entry<String, Integer> e : ctx.layerTensors().entrySet()) {
            if (!g.contains(e.getKey())) {
                continue;
            }
            TensorShape s = r.shape(e.getKey());
            String err = r.error(e.getKey());
            TfliteTensor t = ctx.tensor(e.getValue());
            int[] expected;
            try {
                expected = ImportContext.irShape(t.shape());
            } catch (UnsupportedOpException ex) {
                continue;
            }
            if (err != null) {
                ctx.diagnostic(new ImportDiagnostic(ImportDiagnostic.Severity.ERROR, "shape", "layer '" + g.layer(e.getKey()).name()
                        + "': " + err, e.getKey()));
            } else if (s != null && !Arrays.equals(s.dims(), expected)) {
                ctx.diagnostic(new ImportDiagnostic(ImportDiagnostic.Severity.ERROR, "shape", "layer '" + g.layer(e.getKey()).name()
                        + "' computes shape " + s + " but the TFLite tensor '" + t.name() + "' is " + Arrays.toString(t.shape())
                        + " (an operator the catalog models differently)", e.getKey()));
            }
        }
    }
}

package k210studio.converter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.kmodel.KpuRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./k210 run <file> (--image <img> | --input <v1,v2,...> | --input-file <raw.bin>) [--labels f]
 * [--top N] [--yolo anchors,... | --ssd[=priors]] [--json]}. Kmodels (V3/V4) run on the K210 simulator
 * ({@link KmodelRun}); other model formats get their own branch here.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model on an image or on given input values and print the outputs, the top classes and"
                + " (with --yolo or --ssd) the decoded boxes.")
public final class RunCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the model (.kmodel, or .tflite run in float)")
    Path model;

    @Option(names = "--image", paramLabel = "IMG", description = "JPEG/PNG/BMP image, resized to the model input"
            + " and fed as planar RGB (gray for 1-channel models) uint8, as MaixPy does")
    Path image;

    @Option(names = "--input", paramLabel = "V1,V2,...", description = "input values (float models, e.g. iris)")
    String input;

    @Option(names = "--input-file", paramLabel = "RAW", description = "raw input bytes: uint8 planar C,H,W, or"
            + " little-endian float32")
    Path inputFile;

    @Option(names = "--labels", paramLabel = "FILE", description = "labels, one per line (line i = class i)")
    Path labels;

    @Option(names = "--top", paramLabel = "N", description = "list the N best classes (default 5 for vector outputs)")
    Integer top;

    @Option(names = "--yolo", paramLabel = "ANCHORS", description = "decode output 0 as a YOLOv2 region layer with"
            + " these anchors (w,h pairs in grid units, comma-separated)")
    String yolo;

    @Option(names = "--ssd", arity = "0..1", fallbackValue = "auto", paramLabel = "PRIORS", description = "decode the"
            + " outputs as an Ultra-Light SSD face detector (boxes + scores, optionally landmarks): priors auto (from the prior"
            + " count), rfb320 (RFB-320 / slim-320) or landmark320 (facedetect_landmark); variances 0.1/0.2, hard NMS")
    String ssd;

    @Option(names = "--threshold", description = "box probability threshold (default 0.5 for --yolo, 0.7 for --ssd)")
    Float threshold;

    @Option(names = "--nms", defaultValue = "0.3", description = "NMS IoU threshold of --yolo and --ssd (default 0.3)")
    float nms;

    @Option(names = "--rules", defaultValue = "default", description = "KPU rule set: rc5, beta4 or default"
            + " (rc5 for V3, beta4 for V4)")
    String rules;

    @Option(names = "--invert", description = "invert the image (255 - v), e.g. black-on-white digits for MNIST")
    boolean invert;

    @Option(names = "--rgb565", description = "pass the resized image through RGB565 like a MaixPy image")
    boolean rgb565;

    @Option(names = "--resize", defaultValue = "bilinear", description = "image resize: bilinear or nearest")
    String resize;

    @Option(names = "--trace", description = "print the per-layer trace (unit, estimated cycles, KPU RAM)")
    boolean trace;

    @Option(names = "--mean", paramLabel = "M", description = "float models (.tflite): x = (pixel - mean) / std"
            + " (default 0; also overrides the raw-pixel feeding of uint8/int8 inputs)")
    Float mean;

    @Option(names = "--std", paramLabel = "S", description = "float models (.tflite): see --mean (default 1)")
    Float std;

    @Option(names = "--raw-int8", description = ".tflite with an INT8 input: feed the image bytes as signed int8"
            + " instead of pixel - 128 (data stored as int8 bytes, e.g. tflite-micro's person.bmp)")
    boolean rawInt8;

    @Option(names = "--output-shape", paramLabel = "DIMS", description = "kmodel V4 only (it stores no output"
            + " shapes): the shape of the next output, e.g. 125x7x10; repeat once per output in order, like"
            + " MaixPy's kpu.set_outputs. Without it V4 outputs are flat.")
    List<String> outputShapes;

    @Option(names = "--json", description = "print JSON: {outputs:[{shape,data}], top:[{index,label,score}], boxes:[...]}")
    boolean json;

    @Override
    public Integer call() {
        var err = err();
        var out = out();
        KpuRules r;
        switch (rules.toLowerCase(Locale.ROOT)) {
            case "rc5":
                r = KpuRules.RC5;
                break;
            case "beta4":
                r = KpuRules.BETA4;
                break;
            case "default":
                r = KpuRules.MODEL_DEFAULT;
                break;
            default:
                return badInput("--rules must be rc5, beta4 or default, not " + rules);
        }
        ImageResize.Method method;
        try {
            method = ImageResize.Method.valueOf(resize.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return badInput("--resize must be bilinear or nearest, not " + resize);
        }
        if (yolo != null && ssd != null) {
            return badInput("give --yolo or --ssd, not both");
        }
        float threshold = this.threshold != null ? this.threshold
                : ssd != null ? DetectionDecoding.SSD_THRESHOLD : DetectionDecoding.YOLO_THRESHOLD;
        if (FloatModelRun.handles(model)) {
            try {
                return FloatModelRun.run(new RunRequest(model, image, KmodelRun.floats(input, "--input"), inputFile, mean,
                        std, labels, top, KmodelRun.floats(yolo, "--yolo"), threshold, nms, json, invert,
                        method == ImageResize.Method.NEAREST, rawInt8, trace, ssd), out, err);
            } catch (KmodelRun.UsageException e) {
                return badInput(e.getMessage());
            }
        }
        try {
            List<int[]> shapes = new ArrayList<>();
            if (outputShapes != null) {
                for (String s : outputShapes) {
                    shapes.add(KmodelRun.shape(s, "--output-shape"));
                }
            }
            KmodelRun.Request req = new KmodelRun.Request(model, image, KmodelRun.floats(input, "--input"), inputFile,
                    labels, top, KmodelRun.floats(yolo, "--yolo"), threshold, nms, json, r, invert, method, trace, rgb565,
                    shapes, ssd);
            return KmodelRun.run(req, out, err);
        } catch (KmodelRun.UsageException e) {
            return badInput(e.getMessage());
        }
    }
}

package k210studio.converter.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.converter.compile.CompileException;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.K210Compiler;
import k210studio.converter.train.BoardInput;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;

/**
 * How the K210 model of an evaluation is compiled in memory: the compile options (target, preprocessing, weight
 * width, output-range overrides) and the calibration images, fed exactly as the board feeds the model. The
 * quantization doctor's fixes are new builds (the doctor builds them with other options or calibration images).
 *
 * @param options     compile options (their mean/std are the board input's)
 * @param calibration the calibration pictures, in the order they are fed (V3 weights the first ones most)
 */
public record K210Build(CompileOptions options, List<Path> calibration) {

    /** Calibration images a build takes from a dataset when none are given. */
    public static final int DEFAULT_CALIBRATION_IMAGES = 32;

    public K210Build {
        if (options == null) {
            throw new IllegalArgumentException("compile options are required");
        }
        calibration = List.copyOf(calibration);
    }

    public K210Build withOptions(CompileOptions o) {
        return new K210Build(o, calibration);
    }

    public K210Build withCalibration(List<Path> images) {
        return new K210Build(options, images);
    }

    /**
     * Up to {@code max} images spread evenly over a dataset's (path-sorted, so class by class) images, so every class
     * and every part of the set is seen.
     */
    public static List<Path> spread(List<EvalImage> images, int max) {
        List<Path> out = new ArrayList<>();
        int n = images.size();
        int k = Math.min(n, Math.max(1, max));
        for (int i = 0; i < k; i++) {
            out.add(images.get((int) ((long) i * n / k)).file());
        }
        return out;
    }

    /**
     * Compiles the graph with this build; unreadable calibration pictures are skipped (and counted in the message when
     * none is left).
     */
    public K210Compiler.Result compile(Graph graph, BoardInput in, K210Compiler.Progress progress) throws EvaluateException {
        List<Tensor> samples = new ArrayList<>();
        String firstError = null;
        for (Path p : calibration) {
            try {
                samples.add(new Tensor(new int[] {in.h(), in.w(), in.c()}, in.tensor(in.planar(ImageFiles.read(p)))));
            } catch (ImageDecodeException e) {
                firstError = firstError == null ? p.getFileName() + ": " + e.getMessage() : firstError;
            }
        }
        if (samples.isEmpty()) {
            throw new EvaluateException("no readable calibration image" + (firstError == null ? "" : " (" + firstError + ")")
                    + ": give a folder of pictures like those the model will see");
        }
        try {
            return K210Compiler.compile(graph, samples, options, progress);
        } catch (CompileException e) {
            throw new EvaluateException("the network does not compile for " + options.target() + ": " + e.getMessage(), e);
        }
    }
}

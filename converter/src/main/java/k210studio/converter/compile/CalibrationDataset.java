package k210studio.converter.compile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;

/**
 * Calibration samples from a folder, preprocessed exactly as the simulator and the board do: decode, bilinear resize
 * to the model input, RGB (or MaixPy luminance for one channel) uint8, then x = (pixel − mean) / std. Raw
 * {@code .bin} files (float32 little-endian, H·W·C values in NHWC order) are taken as they are, like ncc's
 * {@code --dataset-format raw}.
 */
public final class CalibrationDataset {
    private static final List<String> IMAGE_EXT = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private CalibrationDataset() {
    }

    /**
     * @param dir       the folder (not searched recursively)
     * @param input     the model input shape (H×W×C image, or a vector for raw files)
     * @param maxImages use at most this many files (sorted by name); ≤ 0 means all
     */
    public static List<Tensor> load(Path dir, TensorShape input, float mean, float std, int maxImages) throws CompileException {
        if (!Files.isDirectory(dir)) {
            throw new CompileException("calibration dataset " + dir + " is not a folder: give a folder of sample images", null);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> isImage(p) || isRaw(p)).sorted().toList();
        } catch (IOException e) {
            throw new CompileException("cannot list " + dir + ": " + e.getMessage(), null, e);
        }
        if (files.isEmpty()) {
            throw new CompileException("calibration dataset " + dir + " holds no images (.jpg .jpeg .png .bmp) or raw .bin samples: "
                    + "add a few images like those the model will see", null);
        }
        if (maxImages > 0 && files.size() > maxImages) {
            files = files.subList(0, maxImages);
        }
        List<Tensor> out = new ArrayList<>();
        for (Path f : files) {
            out.add(isRaw(f) ? raw(f, input) : image(f, input, mean, std));
        }
        return out;
    }

    /** One image file as a model input tensor (H×W×C, NHWC order). */
    public static Tensor image(Path file, TensorShape input, float mean, float std) throws CompileException {
        if (!input.isImage()) {
            throw new CompileException(file.getFileName() + " is an image but the model input is " + input
                    + " (not H×W×C): use raw .bin samples", null);
        }
        int h = input.h();
        int w = input.w();
        int c = input.c();
        if (c != 1 && c != 3) {
            throw new CompileException("the model input has " + c + " channels; image samples give 1 or 3: use raw .bin samples", null);
        }
        byte[] planar;
        try {
            planar = ModelImageInput.planar(ImageFiles.read(file), w, h, c, ImageResize.Method.BILINEAR, false);
        } catch (ImageDecodeException e) {
            throw new CompileException("cannot read calibration image " + file.getFileName() + ": " + e.getMessage()
                    + " (remove it or convert it to JPEG/PNG/BMP)", null, e);
        }
        return fromPlanar(planar, h, w, c, mean, std);
    }

    /** Planar uint8 C×H×W → float H×W×C with x = (p − mean) / std. */
    public static Tensor fromPlanar(byte[] planar, int h, int w, int c, float mean, float std) {
        float[] x = new float[h * w * c];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < plane; i++) {
                x[i * c + ch] = ((planar[ch * plane + i] & 0xFF) - mean) / std;
            }
        }
        return new Tensor(new int[] {h, w, c}, x);
    }

    private static Tensor raw(Path f, TensorShape input) throws CompileException {
        long n = input.elements();
        try {
            long size = Files.size(f);
            if (size != n * 4) {
                throw new CompileException("raw sample " + f.getFileName() + " has " + size + " bytes; the model input " + input
                        + " needs " + n * 4 + " (float32 little-endian, NHWC)", null);
            }
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getFloat();
            }
            int[] dims = input.dims();
            return new Tensor(dims, v);
        } catch (IOException e) {
            throw new CompileException("cannot read " + f + ": " + e.getMessage(), null, e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXT.stream().anyMatch(n::endsWith);
    }

    private static boolean isRaw(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin");
    }
}

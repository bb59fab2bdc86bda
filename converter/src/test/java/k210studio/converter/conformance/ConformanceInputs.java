package k210studio.converter.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.ModelImageInput;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.testing.SharedFixtures;

/**
 * The real inputs of the conformance runs, as bytes both runtimes get unchanged. An image input gets fixture photos
 * laid out exactly as kpu-sim's MaixPy-style input ({@code k210 run --image}: bilinear resize to the model input,
 * planar R,G,B uint8, or MaixPy luminance for one channel); a float image input gets the same planar pixels as
 * x = (pixel − mean) / std in float32 (the model's preprocessing). A vector input gets real samples: Fisher's iris
 * flowers for 4 values (nncase's reference vector first), the sine model's x values for 1.
 */
final class ConformanceInputs {
    /** One input of a run: a name for messages and the tensor fed to kpu-sim (its bytes go to nncase). */
    record Sample(String name, KmodelTensor tensor) {
    }

    /** A folder of real fixture images: all of them calibrate a compiled model, {@code run} are the run inputs. */
    enum ImageSet {
        /** RGB photos (google-coral test data). */
        PHOTOS(3, 355, 512, List.of("face.jpg", "cat.bmp", "grace_hopper.bmp"), List.of("face.jpg", "cat.bmp")),
        /** 28×28 MNIST-style digits. */
        DIGITS(1, 28, 28, List.of("digits/digit_0.png", "digits/digit_2.png", "digits/digit_4.png", "digits/digit_7.png",
                "digits/digit_9.png"), List.of("digits/digit_2.png", "digits/digit_7.png")),
        /** 96×96 grey person-detection images. */
        PERSON(1, 96, 96, List.of("person_96x96_int8bytes.bmp", "no_person_96x96.bmp"),
                List.of("person_96x96_int8bytes.bmp", "no_person_96x96.bmp")),
        /** 64×128 grey audio features (the Kendryte audio CNN's calibration images). */
        AUDIO(1, 64, 128, List.of("audio_feature/11111.bmp", "audio_feature/11112.bmp", "audio_feature/11113.bmp"),
                List.of("audio_feature/11111.bmp", "audio_feature/11112.bmp"));

        final int channels;
        final int height;
        final int width;
        final List<String> calibration;
        final List<String> run;

        ImageSet(int channels, int height, int width, List<String> calibration, List<String> run) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.calibration = calibration;
            this.run = run;
        }

        List<Path> calibrationFiles() {
            return calibration.stream().map(ConformanceInputs::image).toList();
        }

        List<Path> runFiles() {
            return run.stream().map(ConformanceInputs::image).toList();
        }

        /** The set for a C×H×W input: photos for colour; for grey, the set whose native size is closest. */
        static ImageSet forInput(int c, int h, int w) {
            if (c != 1) {
                return PHOTOS;
            }
            ImageSet best = null;
            double bestDistance = Double.MAX_VALUE;
            for (ImageSet s : values()) {
                if (s.channels != 1) {
                    continue;
                }
                double d = Math.abs(Math.log((double) h / s.height)) + Math.abs(Math.log((double) w / s.width));
                if (d < bestDistance) {
                    bestDistance = d;
                    best = s;
                }
            }
            return best;
        }
    }

    /** Fisher's iris data: setosa (nncase's README vector), versicolor, virginica (rows 1, 51 and 101). */
    static final List<float[]> IRIS = List.of(new float[] {5.1f, 3.8f, 1.9f, 0.4f}, new float[] {7.0f, 3.2f, 4.7f, 1.4f},
            new float[] {6.3f, 3.3f, 6.0f, 2.5f});
    /** The x values of tflite-micro's hello_world test (y ≈ sin x). */
    static final List<float[]> SINE_X = List.of(new float[] {0f}, new float[] {1f}, new float[] {3f}, new float[] {5f});

    private ConformanceInputs() {
    }

    static Path image(String name) {
        return SharedFixtures.fixture("images/" + name);
    }

    /** Real vectors of n floats, or an empty list when the fixtures hold none of that length. */
    static List<float[]> vectors(long n) {
        if (n == 4) {
            return IRIS;
        }
        if (n == 1) {
            return SINE_X;
        }
        return List.of();
    }

    /**
     * The run inputs for a kmodel whose input 0 is {@code in}, with the pixel preprocessing of its source model
     * (used only when an image input is float).
     *
     * @throws IllegalArgumentException when the input is neither an image (C×H×W, 1 or 3 channels) nor a vector the
     *                                  fixtures have real samples of
     */
    static List<Sample> forKmodel(TensorDescription in, float mean, float std) throws IOException, ImageDecodeException {
        List<Integer> s = in.shape();
        int[] shape = s.stream().mapToInt(Integer::intValue).toArray();
        int rank = s.size();
        boolean image = rank >= 3 && s.get(rank - 2) > 1 && s.get(rank - 1) > 1 && (s.get(rank - 3) == 1 || s.get(rank - 3) == 3);
        List<Sample> out = new ArrayList<>();
        if (image) {
            int c = s.get(rank - 3);
            int h = s.get(rank - 2);
            int w = s.get(rank - 1);
            for (Path f : ImageSet.forInput(c, h, w).runFiles()) {
                byte[] planar = ModelImageInput.planar(ImageFiles.read(f), w, h, c, ImageResize.Method.BILINEAR, false);
                String name = f.getFileName().toString();
                if (in.type() == ElementType.UINT8) {
                    out.add(new Sample(name, KmodelTensor.ofUint8(shape, planar)));
                } else {
                    float[] x = new float[planar.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = ((planar[i] & 0xFF) - mean) / std;
                    }
                    out.add(new Sample(String.format(Locale.ROOT, "%s as (p-%s)/%s", name, mean, std), KmodelTensor.ofFloats(shape, x)));
                }
            }
            return out;
        }
        List<float[]> vs = vectors(in.elementCount());
        if (vs.isEmpty() || in.type() != ElementType.FLOAT32) {
            throw new IllegalArgumentException("no real input for a " + in.type().name().toLowerCase(Locale.ROOT) + " " + s
                    + " input: the fixtures give images (C×H×W, 1 or 3 channels) and float vectors of 4 (iris) or 1 (sine)"
                    + " values; add samples to ConformanceInputs");
        }
        for (float[] v : vs) {
            out.add(new Sample(java.util.Arrays.toString(v), KmodelTensor.ofFloats(shape, v)));
        }
        return out;
    }
}

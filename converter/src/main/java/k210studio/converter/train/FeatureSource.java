package k210studio.converter.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import k210studio.converter.eval.FloatEvaluator;
import k210studio.ir.graph.Graph;
import k210studio.ir.tensor.Tensor;
import k210studio.kpu.image.ImageDecodeException;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.RgbImage;
import k210studio.converter.train.DatasetSplit.Sample;

/**
 * The inputs of the trainable part of a network, per image: decode, augment, board input, then the frozen
 * prefix in the float evaluator (when there is one). With {@code variants > 0} the results are computed once
 * and kept — {@code variants} augmented versions per training image and the plain version of each validation
 * image — so that the epochs of a frozen backbone only run the head; only these small feature arrays are held,
 * never the decoded pictures. With {@code variants == 0} every request decodes again and each epoch gets fresh
 * augmentation (memory stays at one batch). Augmentation of (image, variant) is seeded, so runs repeat.
 * Pictures that cannot be decoded are skipped and listed in {@link #unreadable()}.
 */
final class FeatureSource {
    private final BoardInput in;
    private final Graph prefix;
    private final String prefixInput;
    private final Augmentation aug;
    private final long seed;
    private final int variants;
    private final Map<Path, float[][]> augmented = new ConcurrentHashMap<>();
    private final Map<Path, float[]> plain = new ConcurrentHashMap<>();
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private final Set<Path> unreadableFiles = ConcurrentHashMap.newKeySet();

    FeatureSource(BoardInput in, Graph prefix, Augmentation aug, long seed, int variants) {
        this.in = in;
        this.prefix = prefix;
        this.prefixInput = prefix == null ? null : prefix.inputIds().get(0);
        this.aug = aug;
        this.seed = seed;
        this.variants = variants;
    }

    int variants() {
        return variants;
    }

    /** "file: reason" for each picture that could not be decoded. */
    Set<String> unreadable() {
        return Set.copyOf(unreadable);
    }

    /** True when the picture was read and could not be decoded. */
    boolean unreadable(Path file) {
        return unreadableFiles.contains(file);
    }

    /** Computes and keeps the features of every image (only when caching), reporting progress; cancelable. */
    void warmUp(List<Sample> train, List<Sample> val, BooleanSupplier cancel, java.util.function.IntConsumer progress) {
        if (variants == 0) {
            return;
        }
        AtomicInteger done = new AtomicInteger();
        List<Sample> all = new java.util.ArrayList<>(train);
        all.addAll(val);
        java.util.Set<Sample> isVal = new java.util.HashSet<>(val);
        Parallel.forEach(all.size(), i -> {
            if (cancel.getAsBoolean()) {
                throw new CancellationException("training stopped");
            }
            Sample s = all.get(i);
            if (isVal.contains(s)) {
                plain(s);
            } else {
                variantsOf(s);
            }
            progress.accept(done.incrementAndGet());
        });
    }

    /** The un-augmented input of one image (validation), or null when it cannot be decoded. */
    float[] plain(Sample s) {
        float[] f = plain.get(s.file());
        if (f != null) {
            return f;
        }
        RgbImage img = read(s.file());
        if (img == null) {
            return null;
        }
        f = features(in.planar(img));
        if (variants > 0) {
            plain.put(s.file(), f);
        }
        return f;
    }

    /** An augmented input of a training image for this epoch, or null when it cannot be decoded. */
    float[] augmented(Sample s, int epoch, Random r) {
        if (aug.isNone()) {
            return plain(s);
        }
        if (variants > 0) {
            float[][] v = variantsOf(s);
            return v == null ? null : v[r.nextInt(v.length)];
        }
        RgbImage img = read(s.file());
        return img == null ? null : features(aug.apply(img, rng(s, epoch), in));
    }

    private float[][] variantsOf(Sample s) {
        float[][] v = augmented.get(s.file());
        if (v != null) {
            return v;
        }
        RgbImage img = read(s.file());
        if (img == null) {
            return null;
        }
        v = new float[variants][];
        for (int k = 0; k < variants; k++) {
            v[k] = features(aug.apply(img, rng(s, k), in));
        }
        augmented.put(s.file(), v);
        return v;
    }

    private Random rng(Sample s, int k) {
        return new Random(seed * 0x5DEECE66DL + s.file().toString().hashCode() * 1_000_003L + k);
    }

    private RgbImage read(Path f) {
        try {
            return ImageFiles.read(f);
        } catch (ImageDecodeException | RuntimeException e) {
            unreadable.add(f.getFileName() + ": " + e.getMessage());
            unreadableFiles.add(f);
            return null;
        }
    }

    private float[] features(byte[] planar) {
        float[] x = in.tensor(planar);
        if (prefix == null) {
            return x;
        }
        return FloatEvaluator.evaluate(prefix, Map.of(prefixInput, new Tensor(new int[] {in.h(), in.w(), in.c()}, x)), false)
                .output().data();
    }
}

package k210studio.converter.train;

import k210studio.converter.quant.QuantRules;

/**
 * How to train.
 *
 * @param epochs        passes over the training images
 * @param batchSize     images per optimizer step
 * @param learningRate  the optimizer's step size
 * @param optimizer     Adam or SGD with momentum 0.9
 * @param seed          split, augmentation, shuffling, dropout and new weights all follow it
 * @param augmentation  what each training picture goes through
 * @param cacheVariants augmented versions kept per training image when a frozen part's features are cached
 * @param cacheBytes    most memory the feature cache may use (fewer variants, or none, when it would not fit)
 * @param k210Every     check the K210 accuracy every this many epochs (0: only the final weights)
 * @param k210Target    the kmodel format for the K210 checks, or null for no K210 check at all
 */
public record TrainOptions(int epochs, int batchSize, float learningRate, Optimizer.Kind optimizer, long seed,
                           Augmentation augmentation, int cacheVariants, long cacheBytes, int k210Every, QuantRules k210Target) {
    public TrainOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be ≥ 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be ≥ 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + learningRate);
        }
        if (cacheVariants < 1) {
            throw new IllegalArgumentException("cache variants must be ≥ 1, got " + cacheVariants);
        }
        if (k210Every < 0) {
            throw new IllegalArgumentException("the K210 check interval must be ≥ 0, got " + k210Every);
        }
        if (optimizer == null) {
            optimizer = Optimizer.Kind.ADAM;
        }
        if (augmentation == null) {
            augmentation = Augmentation.standard();
        }
    }

    /** Adam at 1e-3, batch 16, 10 epochs, standard augmentation, 4 cached variants in at most 512 MiB, K210 (V3) each epoch. */
    public static TrainOptions defaults() {
        return new TrainOptions(10, 16, 1e-3f, Optimizer.Kind.ADAM, 1, Augmentation.standard(), 4, 512L << 20, 1, QuantRules.V3);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, batchSize, learningRate, optimizer, seed, augmentation, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(epochs, b, learningRate, optimizer, seed, augmentation, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withLearningRate(float lr) {
        return new TrainOptions(epochs, batchSize, lr, optimizer, seed, augmentation, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withOptimizer(Optimizer.Kind o) {
        return new TrainOptions(epochs, batchSize, learningRate, o, seed, augmentation, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, learningRate, optimizer, s, augmentation, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withAugmentation(Augmentation a) {
        return new TrainOptions(epochs, batchSize, learningRate, optimizer, seed, a, cacheVariants, cacheBytes, k210Every, k210Target);
    }

    public TrainOptions withCache(int variants, long bytes) {
        return new TrainOptions(epochs, batchSize, learningRate, optimizer, seed, augmentation, variants, bytes, k210Every, k210Target);
    }

    public TrainOptions withK210(int every, QuantRules target) {
        return new TrainOptions(epochs, batchSize, learningRate, optimizer, seed, augmentation, cacheVariants, cacheBytes, every, target);
    }
}

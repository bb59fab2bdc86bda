package k210studio.converter.train;

/**
 * What one epoch gave. Train figures are averaged over the epoch's batches in training mode (augmented, with
 * dropout), as Keras reports them; validation figures come from the un-augmented validation images in
 * inference mode (NaN without a validation set).
 *
 * @param epoch         1-based
 * @param trainLoss     mean cross-entropy on the training batches
 * @param trainAccuracy top-1 on the training batches
 * @param valLoss       mean cross-entropy on the validation images
 * @param valAccuracy   top-1 on the validation images
 * @param k210          the K210 check of this epoch's weights, or null when none ran
 * @param k210Error     why the K210 check failed (e.g. the network does not compile), or null
 * @param seconds       wall-clock time of the epoch (training + validation, without the K210 check)
 * @param best          this epoch's weights are the best so far (kept)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         k210studio.converter.evaluate.K210Check k210, String k210Error, double seconds, boolean best) {
}

package k210studio.converter.evaluate.doctor;

import k210studio.converter.quant.ValueRange;

/**
 * The error of one kmodel layer against its float counterpart over a dataset.
 *
 * @param kmodelLayer  the layer's index in the kmodel
 * @param type         its kmodel type (e.g. "K210_CONV")
 * @param layer        the float layer (name in the compiler's prepared graph) whose output it holds
 * @param cosine       mean cosine similarity over the images
 * @param snrDb        mean SNR in dB over the images (each image within ±{@link QuantDoctor#EXACT_SNR_DB}: an exact one counts +100)
 * @param clipped      fraction of images whose float values fall outside the layer's quantized range (0 for a
 *                     float value)
 * @param quantRange   the real range of the layer's uint8 grid, null for a float value
 * @param observed     the range of the float values over the dataset
 */
public record LayerError(int kmodelLayer, String type, String layer, double cosine, double snrDb, double clipped,
                         ValueRange quantRange, ValueRange observed) {
}

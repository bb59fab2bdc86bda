package k210studio.converter.evaluate.doctor;

/**
 * One quantized layer in the sensitivity ranking.
 *
 * @param layer          the layer (name in the compiler's prepared graph)
 * @param agreement      top-1 agreement with the float model when only this layer's output (and its weights, when it
 *                       has KPU weights) is fake-quantized to its grid
 * @param agreementCost  1 − agreement: the agreement this layer alone costs
 * @param snrDb          mean SNR (dB) of the layer's output under that fake quantization, the tie-break
 * @param weightsDominate the layer's weight quantization adds more error to its output than its output grid does
 * @param suggestion     what to change for it
 */
public record RankedLayer(String layer, double agreement, double agreementCost, double snrDb, boolean weightsDominate,
                          Suggestion suggestion) {
}

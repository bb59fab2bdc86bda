package k210studio.converter.keras;

import k210studio.ir.tensor.TensorShape;

/**
 * One input of an imported model, in the model's input order.
 *
 * @param layerId the id of its {@code Input} layer in the graph
 * @param name    the Keras name of the input layer
 * @param shape   the input shape without the batch (H×W×C for images)
 * @param dtype   the Keras dtype of the input ("float32" unless the model says otherwise)
 */
public record ModelInput(String layerId, String name, TensorShape shape, String dtype) {
}

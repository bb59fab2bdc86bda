package k210studio.converter.keras;

/**
 * One weight variable of a Keras layer, in the order the layer declares it (trainable ones first).
 *
 * @param key       the IR weight key and Keras 2 variable name ("kernel", "depthwise_kernel", "gamma", ...)
 * @param trainable whether Keras creates it trainable (moving statistics are not)
 */
record KerasVariable(String key, boolean trainable) {
}

package k210studio.converter.keras;

/** The two Keras model file formats the importer reads. */
public enum KerasFormat {
    /** Keras 2 / tf.keras {@code model.save("x.h5")}: HDF5 with a {@code model_config} attribute and {@code model_weights}. */
    KERAS2_H5("Keras 2 .h5"),
    /** Keras 3 {@code model.save("x.keras")}: a zip of config.json, metadata.json and model.weights.h5. */
    KERAS3_ZIP("Keras 3 .keras");

    private final String label;

    KerasFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

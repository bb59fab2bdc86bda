package k210studio.kpu.kmodel;

import java.util.List;

/**
 * A parsed, immutable kmodel of any version (V3: {@code k210studio.kpu.kmodel.v3}, V4:
 * {@code k210studio.kpu.kmodel.v4}). Load one with {@link KmodelFiles#read(byte[])}.
 */
public interface Kmodel {

    /** The kmodel format version (3 or 4). */
    int version();

    /** The model inputs. */
    List<TensorDescription> inputs();

    /** The model outputs, in output-table order. */
    List<TensorDescription> outputs();

    /** Number of layers (V3) or nodes (V4). */
    int layerCount();

    /** Type name of layer i as the format spec spells it (e.g. {@code K210_CONV}, {@code DEQUANTIZE}). */
    String layerTypeName(int i);

    /** Size of the main-memory scratch buffer the runtime allocates, in bytes. */
    long mainMemoryUsage();

    /**
     * Multiply-accumulates of one inference (KPU convs at full input resolution plus CPU dense and
     * conv layers), or -1 when the model does not say. Used for GMAC/s figures.
     */
    default long multiplyAccumulates() {
        return -1;
    }

    /** The file bytes (written by this model's writer). */
    byte[] toBytes();

    /** A runtime with its own memories, configured by {@code options}. */
    KmodelRuntime newRuntime(RunOptions options) throws KmodelFormatException;

    /** One inference with a fresh runtime. */
    default RunResult run(List<KmodelTensor> inputs, RunOptions options) throws KmodelFormatException {
        return newRuntime(options).run(inputs);
    }

    /** One inference of a single-input model with a fresh runtime. */
    default RunResult run(KmodelTensor input, RunOptions options) throws KmodelFormatException {
        return newRuntime(options).run(List.of(input));
    }
}

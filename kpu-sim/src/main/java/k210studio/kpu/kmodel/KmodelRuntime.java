package k210studio.kpu.kmodel;

import java.util.List;

/**
 * A loaded model ready to run, owning its simulated memories (main memory and KPU RAM). Reuse one
 * runtime for many inferences (benchmarks); it is not thread-safe.
 */
public interface KmodelRuntime {

    /** The model this runtime executes. */
    Kmodel model();

    /**
     * Runs one inference. {@code inputs} follow {@link Kmodel#inputs()} (element type and element
     * count must match; a shape mismatch of equal count is accepted).
     *
     * @throws KmodelFormatException    when the model bytes make the run impossible (address out of
     *                                  memory, unsupported layer, work budget exceeded, ...)
     * @throws IllegalArgumentException when the inputs do not match the model's inputs
     */
    RunResult run(List<KmodelTensor> inputs) throws KmodelFormatException;

    /** Runs a single-input model. */
    default RunResult run(KmodelTensor input) throws KmodelFormatException {
        return run(List.of(input));
    }
}

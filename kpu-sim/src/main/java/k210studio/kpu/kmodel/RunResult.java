package k210studio.kpu.kmodel;

import java.util.List;

/** Outputs of one inference, in the model's output order, plus the per-layer trace. */
public record RunResult(List<KmodelTensor> outputs, List<LayerTrace> layers) {
    public RunResult {
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
    }

    public KmodelTensor output(int i) {
        return outputs.get(i);
    }

    /** Sum of the estimated cycles of all layers. */
    public long totalEstimatedCycles() {
        long s = 0;
        for (LayerTrace t : layers) {
            s += t.estimatedCycles();
        }
        return s;
    }
}

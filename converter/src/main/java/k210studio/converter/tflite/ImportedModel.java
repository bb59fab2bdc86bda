package k210studio.converter.tflite;

import java.util.List;
import java.util.Map;
import k210studio.converter.importing.ModelConventions;
import k210studio.ir.graph.Graph;

/**
 * The result of importing a TFLite file: the float network, the original input/output tensors
 * (types and quantization, to feed data as the file expects), the diagnostics, how many
 * operators of each kind the file had, and what the file says about its preprocessing and labels.
 */
public record ImportedModel(Graph graph, List<TensorInfo> inputs, List<TensorInfo> outputs,
                            List<ImportDiagnostic> diagnostics, Map<String, Integer> opCounts, ModelConventions conventions) {

    /** A model whose file says nothing about its use. */
    public ImportedModel(Graph graph, List<TensorInfo> inputs, List<TensorInfo> outputs, List<ImportDiagnostic> diagnostics,
                         Map<String, Integer> opCounts) {
        this(graph, inputs, outputs, diagnostics, opCounts, null);
    }

    public ImportedModel {
        if (conventions == null) {
            conventions = ModelConventions.unknown(0);
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        diagnostics = List.copyOf(diagnostics);
        opCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opCounts));
    }

    /** True when some operator could not be imported: the graph is then incomplete. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == ImportDiagnostic.Severity.ERROR);
    }

    public List<ImportDiagnostic> diagnostics(String code) {
        return diagnostics.stream().filter(d -> d.code().equals(code)).toList();
    }

    public int opCount(String opName) {
        return opCounts.getOrDefault(opName, 0);
    }
}

package k210studio.converter.keras;

import java.util.List;
import k210studio.converter.importing.ModelConventions;
import k210studio.ir.graph.Graph;

/**
 * The result of importing a Keras file.
 *
 * @param graph        the network: one IR layer per Keras layer (nested models flattened), Keras names kept, float weights
 * @param format       which file format it came from
 * @param kerasVersion the Keras version that wrote the file ("" when the file does not say)
 * @param inputs       the model inputs in order
 * @param notes        things the user should know (ignored training state, layers converted to an equivalent, ...)
 * @param conventions  what the model says about its input preprocessing (a leading Rescaling/Normalization layer)
 */
public record ImportedKerasModel(Graph graph, KerasFormat format, String kerasVersion, List<ModelInput> inputs,
                                 List<String> notes, ModelConventions conventions) {
    /** A model read together with what its layers say about its input. */
    ImportedKerasModel(Graph graph, KerasFormat format, String kerasVersion, List<ModelInput> inputs, List<String> notes) {
        this(graph, format, kerasVersion, inputs, notes, KerasConventions.of(graph));
    }

    public ImportedKerasModel {
        inputs = List.copyOf(inputs);
        notes = List.copyOf(notes);
    }
}

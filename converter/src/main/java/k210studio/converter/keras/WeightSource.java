package k210studio.converter.keras;

import java.util.List;
import k210studio.converter.keras.KerasTopology.FlatLayer;
import k210studio.ir.tensor.Tensor;

/** Where the weights of an imported model come from (a Keras 2 .h5 or the weights file of a Keras 3 .keras). */
interface WeightSource {

    /**
     * The values of a layer's variables, aligned with {@code vars}, each checked against its
     * expected shape before it is read.
     */
    List<Tensor> read(FlatLayer layer, List<KerasVariable> vars, List<int[]> shapes) throws KerasImportException;
}

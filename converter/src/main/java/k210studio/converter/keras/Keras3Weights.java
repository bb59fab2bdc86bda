package k210studio.converter.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import k210studio.converter.keras.KerasModelConfig.LayerDecl;
import k210studio.converter.keras.KerasTopology.FlatLayer;
import k210studio.ir.tensor.Tensor;

/**
 * Weights of a Keras 3 .keras archive ({@code model.weights.h5}, written by keras saving_lib):
 * each layer's variables are datasets {@code 0, 1, ...} in group {@code <path>/vars}, where the
 * path is {@code layers/<snake_case class>[_n]} (nested models add their own {@code layers/...}).
 * Files from Keras 2.13-2.15 use {@code _layer_checkpoint_dependencies} in place of {@code layers}.
 */
final class Keras3Weights implements WeightSource {
    private final Hdf5Reader h5;

    Keras3Weights(Hdf5Reader h5) {
        this.h5 = h5;
    }

    @Override
    public List<Tensor> read(FlatLayer layer, List<KerasVariable> vars, List<int[]> shapes) throws KerasImportException {
        if (vars.isEmpty()) {
            return List.of();
        }
        LayerDecl d = layer.decl();
        Group g = h5.groupOrNull(layer.v3Path() + "/vars");
        if (g == null) {
            g = h5.groupOrNull(layer.v3Path().replace("layers", "_layer_checkpoint_dependencies") + "/vars");
        }
        if (g == null) {
            throw new KerasImportException("layer '" + d.name() + "' (" + d.className() + ") needs weights " + Keras2Weights.keys(vars)
                    + " but " + h5.what() + " has no group " + layer.v3Path() + "/vars; the weights do not match config.json");
        }
        List<String> present = h5.childNames(g);
        if (present.size() != vars.size()) {
            throw new KerasImportException("layer '" + d.name() + "' (" + d.className() + ") has " + present.size()
                    + " variable(s) in " + h5.what() + " (" + layer.v3Path() + "/vars) but its configuration needs " + vars.size()
                    + " " + Keras2Weights.keys(vars));
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Dataset ds = h5.datasetOrNull(g, Integer.toString(i));
            if (ds == null) {
                throw new KerasImportException("variable " + i + " (" + vars.get(i).key() + ") of layer '" + d.name() + "' is missing from "
                        + layer.v3Path() + "/vars in " + h5.what());
            }
            int[] dims = h5.dimensions(ds);
            if (!Arrays.equals(dims, shapes.get(i))) {
                throw new KerasImportException("weight '" + vars.get(i).key() + "' of layer '" + d.name() + "' (" + d.className()
                        + ") has shape " + Arrays.toString(dims) + " in the file but the layer needs " + Arrays.toString(shapes.get(i))
                        + "; the weights do not belong to this architecture");
            }
            out.add(new Tensor(shapes.get(i), h5.floats(ds, "weight '" + vars.get(i).key() + "' of layer '" + d.name() + "'")));
        }
        return out;
    }
}

package k210studio.ir.shape;

import java.util.Map;

/**
 * Output shape of every layer of a graph, or for layers where it cannot be computed the
 * reason (a user-facing message); layers downstream of a failure report "input shape unknown".
 */
public record ShapeResult(Map<String, k210studio.ir.tensor.TensorShape> shapes, Map<String, String> errors) {

    public ShapeResult {
        shapes = Map.copyOf(shapes);
        errors = Map.copyOf(errors);
    }

    public k210studio.ir.tensor.TensorShape shape(String id) {
        return shapes.get(id);
    }

    public String error(String id) {
        return errors.get(id);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}

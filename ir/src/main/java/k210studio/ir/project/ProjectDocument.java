package k210studio.ir.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Position;

/**
 * The schema of {@code project.json} inside a {@code .k210proj} container (format version 1):
 * <pre>
 * { "formatVersion": 1, "generator": "K210 Studio",
 *   "settings": { "name", "target": "V3"|"V4", "preprocessing": {"mean":[..],"std":[..],"channelOrder","inputScale"},
 *                 "labels": [..], "sampleImages": [..] },
 *   "graph": { "name", "layers": [ { "id", "name", "params": {"type": "Conv2D", ...}, "inputs": [ids in port order],
 *                                    "position": {"x","y"} | null, "notes": {..} } ],
 *              "outputs": [ids] },            // explicit outputs; [] = the layers nobody consumes
 *   "weights": [ { "layer": id, "key": "kernel", "shape": [3,3,3,32], "offset": bytes, "length": bytes } ] }
 * </pre>
 * Weight blobs are little-endian float32, row-major, at {@code offset} in {@code weights.bin}.
 */
record ProjectDocument(Integer formatVersion, String generator, ProjectSettings settings, GraphDoc graph,
                       List<WeightDoc> weights) {

    record GraphDoc(String name, List<LayerDoc> layers, List<String> outputs) {
    }

    record LayerDoc(String id, String name, JsonNode params, List<String> inputs, Position position,
                    Map<String, String> notes) {
    }

    record WeightDoc(String layer, String key, int[] shape, Long offset, Long length) {
    }
}

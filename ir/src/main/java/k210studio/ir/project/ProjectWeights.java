package k210studio.ir.project;

import static k210studio.ir.project.ProjectFileException.cannotOpen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.project.ProjectDocument.LayerDoc;
import k210studio.ir.project.ProjectDocument.WeightDoc;
import k210studio.ir.tensor.Tensor;

/**
 * The weights of a project: every tensor as little-endian float32, one after the other, in
 * {@code weights.bin}, and the index in {@code project.json} that says whose tensor lies where.
 * Unpacking checks the index against the blob (shapes, sizes, bounds, duplicates, full coverage)
 * before allocating anything.
 */
final class ProjectWeights {
    /** The blob and its index, layer by layer in graph order. */
    record Packed(List<WeightDoc> index, byte[] blob) {
    }

    private ProjectWeights() {
    }

    static Packed pack(Graph g) {
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        List<WeightDoc> index = new ArrayList<>();
        long offset = 0;
        for (Layer l : g.layers()) {
            for (Map.Entry<String, Tensor> e : l.weights().entrySet()) {
                byte[] b = floatsLE(e.getValue().data());
                weights.writeBytes(b);
                index.add(new WeightDoc(l.id(), e.getKey(), e.getValue().shape(), offset, (long) b.length));
                offset += b.length;
            }
        }
        return new Packed(index, weights.toByteArray());
    }

    /** The tensors of each layer id, from the index and the blob (null when the file has no weights.bin). */
    static Map<String, Map<String, Tensor>> unpack(List<WeightDoc> index, byte[] blob, Map<String, LayerDoc> layers,
                                                 String src) throws ProjectFileException {
        Map<String, Map<String, Tensor>> out = new HashMap<>();
        if (index == null || index.isEmpty()) {
            if (blob != null && blob.length > 0) {
                throw cannotOpen(src, "weights.bin holds " + blob.length + " bytes but project.json lists no weights",
                        "The two parts of the file do not belong together; restore it from a backup.");
            }
            return out;
        }
        if (blob == null) {
            throw cannotOpen(src, "project.json lists " + index.size() + " weight tensors but the file has no weights.bin",
                    "The file is incomplete; restore it from a backup.");
        }
        long end = 0;
        for (int i = 0; i < index.size(); i++) {
            WeightDoc w = index.get(i);
            String at = "weights[" + i + "]";
            if (w == null) {
                throw cannotOpen(src, at + " in project.json is null", "Remove it.");
            }
            LayerDoc l = w.layer() == null ? null : layers.get(w.layer());
            if (l == null) {
                throw cannotOpen(src, at + " in project.json belongs to layer id \"" + w.layer() + "\", which is not in the file",
                        "Remove the entry or restore the layer.");
            }
            if (w.key() == null) {
                throw cannotOpen(src, at + " (layer " + ProjectJson.label(l) + ") has no \"key\"", "Name the weight (e.g. \"kernel\").");
            }
            String what = "weight \"" + w.key() + "\" of layer " + ProjectJson.label(l);
            if (w.shape() == null) {
                throw cannotOpen(src, what + " has no \"shape\"", "Add the shape in project.json.");
            }
            long elements = 1;
            for (int d : w.shape()) {
                if (d < 0) {
                    throw cannotOpen(src, what + " has a negative dimension in shape " + Arrays.toString(w.shape()), "Fix the shape in project.json.");
                }
                elements *= d;
                if (elements > ProjectZip.MAX_WEIGHTS_BYTES) {
                    throw cannotOpen(src, what + " has an impossibly large shape " + Arrays.toString(w.shape()), "Fix the shape in project.json.");
                }
            }
            if (w.offset() == null || w.length() == null || w.offset() < 0 || w.length() < 0) {
                throw cannotOpen(src, what + " needs a non-negative \"offset\" and \"length\" (bytes in weights.bin)", "Fix the weights index in project.json.");
            }
            if (w.length() != elements * 4) {
                throw cannotOpen(src, "weights size mismatch: " + what + " has shape " + Arrays.toString(w.shape()) + " = " + elements
                        + " float32 values = " + elements * 4 + " bytes, but its index entry says " + w.length() + " bytes",
                        "The weights index is damaged; restore the file from a backup.");
            }
            if (w.offset() > blob.length || w.length() > blob.length - w.offset()) {
                throw cannotOpen(src, "weights size mismatch: " + what + " needs bytes " + w.offset() + ".." + (w.offset() + w.length())
                                + " of weights.bin, which has only " + blob.length + " bytes",
                        "weights.bin is shorter than its index says (cut off, or from another save); restore the file from a backup.");
            }
            Map<String, Tensor> lw = out.computeIfAbsent(w.layer(), k -> new LinkedHashMap<>());
            if (lw.containsKey(w.key())) {
                throw cannotOpen(src, what + " is listed twice in the weights index", "Remove the duplicate entry.");
            }
            float[] data = new float[(int) elements];
            ByteBuffer.wrap(blob, (int) (long) w.offset(), (int) (long) w.length()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            lw.put(w.key(), new Tensor(w.shape(), data));
            end = Math.max(end, w.offset() + w.length());
        }
        if (end != blob.length) {
            throw cannotOpen(src, "weights size mismatch: weights.bin has " + blob.length + " bytes but the weights index covers only " + end,
                    "The two parts of the file do not belong together; restore it from a backup.");
        }
        return out;
    }

    private static byte[] floatsLE(float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return b.array();
    }
}

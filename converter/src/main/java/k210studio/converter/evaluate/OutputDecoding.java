package k210studio.converter.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.RegionLayer;
import k210studio.kpu.post.UltraFaceDecoder;

/**
 * What the outputs of the evaluated model mean and how they are decoded: a classifier's class scores, a YOLOv2
 * region layer (anchors in grid units, probability and NMS thresholds, as MaixPy's {@code kpu.run_yolo2}) or an
 * Ultra-Light SSD face detector (RFB-320 or facedetect_landmark priors, chosen by the prior count).
 *
 * @param threshold the box probability a board would report; boxes down to {@link #AP_MIN_SCORE} are still decoded
 *                  for the precision/recall curve of the AP
 */
public record OutputDecoding(Kind kind, float[] anchors, float threshold, float nms) {

    /** Boxes scoring at least this take part in the AP (the curve needs more than the board's threshold keeps). */
    public static final float AP_MIN_SCORE = 0.05f;

    /** The anchors of Kendryte's face_detect demo. */
    public static final float[] FACE_ANCHORS = {1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f,
        6.718375f, 9.01025f};

    /** The meanings the evaluator knows. */
    public enum Kind {
        CLASSIFIER("classifier"), YOLO2("yolo2"), ULTRA_FACE("ultraface");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** "classifier", "yolo2", "ultraface" (CLI value and JSON). */
        public String id() {
            return id;
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown decoder '" + s + "' (use classifier, yolo2 or ultraface)");
        }
    }

    /** One side's decoded answer: class scores (classifier) or boxes in pixels of the original image (detectors). */
    public record Answer(float[] scores, List<Detection> boxes) {
        public Answer {
            boxes = boxes == null ? null : List.copyOf(boxes);
        }
    }

    public OutputDecoding {
        if (kind == null) {
            throw new IllegalArgumentException("the decoder kind is required");
        }
        anchors = anchors == null ? FACE_ANCHORS.clone() : anchors.clone();
        if (anchors.length == 0 || anchors.length % 2 != 0) {
            throw new IllegalArgumentException("anchors are pairs of width,height; got " + anchors.length + " numbers");
        }
        if (!(threshold > 0 && threshold < 1) || !(nms > 0 && nms <= 1)) {
            throw new IllegalArgumentException("the probability threshold must be in (0, 1) and the NMS IoU in (0, 1], got " + threshold
                    + " and " + nms);
        }
    }

    @Override
    public float[] anchors() {
        return anchors.clone();
    }

    public static OutputDecoding classifier() {
        return new OutputDecoding(Kind.CLASSIFIER, null, 0.5f, 0.3f);
    }

    public boolean detector() {
        return kind != Kind.CLASSIFIER;
    }

    /**
     * A first guess from the output geometries (C, H, W per output): two outputs of N×4 and N×2 values (or three, with
     * N×10 landmarks) → SSD face; one C×H×W map (H, W > 1) whose C is 5 anchors × (5 + classes) → YOLOv2 with the face
     * demo's anchors; anything else → classifier.
     */
    public static OutputDecoding guess(List<int[]> chw) {
        if (chw.size() == 2 || chw.size() == 3) {
            long boxes = count(chw.get(0));
            long scores = count(chw.get(chw.size() - 1));
            boolean landmarks = chw.size() == 2 || count(chw.get(1)) * 2 == boxes * 5;
            if (boxes % 4 == 0 && boxes == 2 * scores && landmarks) {
                return new OutputDecoding(Kind.ULTRA_FACE, null, 0.7f, 0.3f);
            }
        }
        if (chw.size() == 1 && chw.get(0)[1] > 1 && chw.get(0)[2] > 1 && chw.get(0)[0] % 5 == 0 && chw.get(0)[0] / 5 >= 6) {
            return new OutputDecoding(Kind.YOLO2, null, 0.5f, 0.3f);
        }
        return classifier();
    }

    /** The (C, H, W) of each output of a float model: images as they are, anything else a C×1×1 vector. */
    public static List<int[]> geometry(Graph g) {
        Map<String, TensorShape> shapes = ShapeInference.infer(g).shapes();
        List<int[]> chw = new ArrayList<>();
        for (String id : g.outputIds()) {
            TensorShape s = shapes.get(id);
            chw.add(s.isImage() ? new int[] {s.c(), s.h(), s.w()} : new int[] {(int) s.elements(), 1, 1});
        }
        return chw;
    }

    private static long count(int[] chw) {
        return (long) chw[0] * chw[1] * chw[2];
    }

    /** Classes the outputs tell apart: the score vector's length, anchors' (5 + classes) split, or 1 face class. */
    public int classes(List<int[]> chw) {
        switch (kind) {
            case CLASSIFIER:
                return chw.isEmpty() ? 0 : Math.max(2, (int) count(chw.get(0)));
            case YOLO2:
                return chw.isEmpty() ? 0 : Math.max(1, chw.get(0)[0] / (anchors.length / 2) - 5);
            default:
                return 1;
        }
    }

    /**
     * Decodes one side's outputs.
     *
     * @param inW    model input width
     * @param inH    model input height
     * @param imageW original image width (boxes are scaled to it)
     * @param imageH original image height
     * @throws IllegalArgumentException naming the mismatch when the outputs are not what this decoder reads
     */
    public Answer decode(List<OutputMap> outs, int inW, int inH, int imageW, int imageH, List<String> labels) {
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("the model has no output");
        }
        switch (kind) {
            case CLASSIFIER: {
                float[] y = outs.get(0).chw();
                return new Answer(y.length == 1 ? new float[] {1 - y[0], y[0]} : y.clone(), null);
            }
            case YOLO2: {
                OutputMap o = outs.get(0);
                int c = o.c();
                int gh = o.h();
                int gw = o.w();
                if (gh == 1 && gw == 1) {
                    gw = inW / 32;
                    gh = inH / 32;
                    if (gw == 0 || gh == 0 || o.size() % (gw * gh) != 0) {
                        throw new IllegalArgumentException("output 0 has " + o.size() + " values, not C × " + (inH / 32) + " × " + (inW / 32));
                    }
                    c = o.size() / (gw * gh);
                }
                RegionLayer rl = new RegionLayer(anchors, Math.min(threshold, AP_MIN_SCORE), nms);
                return new Answer(null, rl.decode(o.chw(), gw, gh, c, imageW, imageH, labels.isEmpty() ? null : labels));
            }
            default: {
                if (outs.size() != 2 && outs.size() != 3) {
                    throw new IllegalArgumentException("an SSD face detector has 2 outputs (boxes, scores) or 3 (boxes, landmarks, scores); "
                            + "this model has " + outs.size());
                }
                float[] boxes = outs.get(0).chw();
                float[] scores = outs.get(outs.size() - 1).chw();
                UltraFaceDecoder d = UltraFaceDecoder.forPriorCount(inW, inH, boxes.length / 4, Math.min(threshold, AP_MIN_SCORE), nms);
                if (d == null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%d priors at %d×%d match no known face detector "
                            + "(Ultra-Light RFB-320 or facedetect_landmark)", boxes.length / 4, inW, inH));
                }
                return new Answer(null, d.decode(boxes, scores, imageW, imageH, labels));
            }
        }
    }

    /** The boxes a board reports (at or above the threshold) out of a decoded list. */
    public List<Detection> reported(List<Detection> all) {
        return all.stream().filter(d -> d.score() > threshold).toList();
    }
}

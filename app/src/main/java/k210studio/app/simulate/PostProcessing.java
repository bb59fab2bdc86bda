package k210studio.app.simulate;

import java.util.List;
import java.util.Locale;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.TensorDescription;

/**
 * How model outputs are read: a classifier's top-k, a YOLOv2 region layer (anchors in grid units, probability and
 * NMS thresholds) or an Ultra-Light SSD face detector (RFB-320 priors), or nothing.
 */
public record PostProcessing(Kind kind, int topK, float[] anchors, float threshold, float nms, List<String> labels) {

    /** What the outputs mean. */
    public enum Kind {
        NONE("Raw outputs"), CLASSIFIER("Classifier (top-k)"), YOLO2("YOLOv2 region layer"), ULTRA_FACE("SSD face (Ultra-Light)");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        @Override
        public String toString() {
            return title;
        }
    }

    /** The anchors of Kendryte's face_detect demo (5 anchors, 1 class; {@code face_detect/main.c}). */
    public static final float[] FACE_ANCHORS = {1.889f, 2.5245f, 2.9465f, 3.94056f, 3.99987f, 5.3658f, 5.155437f, 6.92275f,
        6.718375f, 9.01025f};

    public PostProcessing {
        if (kind == null) {
            kind = Kind.NONE;
        }
        anchors = anchors == null ? FACE_ANCHORS.clone() : anchors.clone();
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (topK < 1) {
            topK = 5;
        }
    }

    @Override
    public float[] anchors() {
        return anchors.clone();
    }

    public static PostProcessing classifier(List<String> labels) {
        return new PostProcessing(Kind.CLASSIFIER, 5, null, 0.5f, 0.3f, labels);
    }

    public PostProcessing withKind(Kind k) {
        return new PostProcessing(k, topK, anchors, threshold, nms, labels);
    }

    public PostProcessing withAnchors(float[] a) {
        return new PostProcessing(kind, topK, a, threshold, nms, labels);
    }

    public PostProcessing withThresholds(float t, float n) {
        return new PostProcessing(kind, topK, anchors, t, n, labels);
    }

    public PostProcessing withLabels(List<String> l) {
        return new PostProcessing(kind, topK, anchors, threshold, nms, l);
    }

    /** Anchors as the user edits them: "1.889, 2.5245, ...". */
    public String anchorsText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < anchors.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s", anchors[i]));
        }
        return b.toString();
    }

    /** Parses "w0,h0, w1,h1, ..." (pairs), naming the bad entry. */
    public static float[] parseAnchors(String text) {
        String[] parts = text.trim().split("[,\\s]+");
        if (parts.length == 0 || parts[0].isEmpty() || parts.length % 2 != 0) {
            throw new IllegalArgumentException("anchors are pairs of width,height in grid units; got " + (parts[0].isEmpty() ? 0 : parts.length) + " numbers");
        }
        float[] a = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                a[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("anchor '" + parts[i] + "' is not a number");
            }
            if (!(a[i] > 0)) {
                throw new IllegalArgumentException("anchor " + parts[i] + " must be positive");
            }
        }
        return a;
    }

    /**
     * A first guess from a kmodel's outputs: two outputs of N×4 and N×2 values → SSD face; one C×H×W output whose C is
     * 5 anchors × (5 + classes) → YOLOv2 with the face demo's anchors; a vector → classifier.
     */
    public static PostProcessing guess(Kmodel m, List<String> labels) {
        List<TensorDescription> outs = m.outputs();
        if (outs.size() == 2 && outs.get(0).elementCount() == 2 * outs.get(1).elementCount() && outs.get(0).elementCount() % 4 == 0) {
            return new PostProcessing(Kind.ULTRA_FACE, 5, null, 0.7f, 0.3f, labels);
        }
        if (outs.size() == 3 && outs.get(0).elementCount() == 2 * outs.get(2).elementCount() && outs.get(0).elementCount() % 4 == 0
                && outs.get(1).elementCount() * 2 == outs.get(0).elementCount() * 5) {
            return new PostProcessing(Kind.ULTRA_FACE, 5, null, 0.7f, 0.3f, labels); // boxes, 5 landmarks, scores
        }
        if (!outs.isEmpty()) {
            List<Integer> s = outs.get(0).shape();
            if (s.size() >= 3 && s.get(s.size() - 3) % 5 == 0 && s.get(s.size() - 3) / 5 >= 6 && s.get(s.size() - 1) > 1) {
                return new PostProcessing(Kind.YOLO2, 5, null, 0.5f, 0.3f, labels);
            }
        }
        return classifier(labels);
    }
}

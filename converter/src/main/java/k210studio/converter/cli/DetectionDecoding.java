package k210studio.converter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.RegionLayer;
import k210studio.kpu.post.UltraFaceDecoder;

/**
 * The two box decoders of {@code run}, the same for kmodels and float models: {@code --yolo} (a YOLOv2 region layer
 * with the anchors given) and {@code --ssd} (an Ultra-Light SSD face detector with the product's prior
 * configurations). A model whose outputs do not fit the decoder is a usage error whose message names what the
 * outputs hold and what the decoder needs ({@link IllegalArgumentException}, exit code 2).
 */
final class DetectionDecoding {
    /** The default probability thresholds: darknet's 0.5 for YOLO, the Ultra-Light example's 0.7 for SSD. */
    static final float YOLO_THRESHOLD = 0.5f;
    static final float SSD_THRESHOLD = 0.7f;

    private DetectionDecoding() {
    }

    /**
     * YOLOv2 boxes of a float CHW map; the anchor count is the number of (w, h) pairs given, and the channels must be
     * anchors × (5 + classes) with at least one class.
     */
    static List<Detection> yolo(float[] chw, int channels, int gridH, int gridW, float[] anchors, float threshold, float nms,
                                int imageW, int imageH, List<String> labels) {
        checkYolo(channels, anchors);
        return new RegionLayer(anchors, threshold, nms).decode(chw, gridW, gridH, channels, imageW, imageH, labels);
    }

    /** Throws when {@code channels} is not anchors × (5 + classes) for the anchors given. */
    static void checkYolo(int channels, float[] anchors) {
        if (anchors.length == 0 || anchors.length % 2 != 0) {
            throw new IllegalArgumentException("--yolo takes anchors as width,height pairs; " + anchors.length + " number(s) were given");
        }
        int na = anchors.length / 2;
        if (channels % na == 0 && channels / na >= 6) {
            return;
        }
        List<String> fits = new ArrayList<>();
        for (int k = 1; k <= channels / 6; k++) {
            if (channels % k == 0) {
                fits.add(k + " anchors × (5 + " + (channels / k - 5) + ")");
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "--yolo: output 0 has %d channels, but the %d anchor(s) given (%d numbers) need %d × (5 + classes) channels "
                        + "(%d for one class, %d for two); %s. Give the anchors the model was trained with.",
                channels, na, anchors.length, na, na * 6, na * 7,
                fits.isEmpty() ? "no anchor count fits " + channels + " channels (at least 6 per anchor), so this output is not a YOLOv2 "
                        + "region layer" : channels + " channels fit " + String.join(", or ", fits)));
    }

    /**
     * Ultra-Light SSD faces: finds the box output (4 values per prior) and the score output (2 per prior) among the
     * outputs (boxes, scores; or boxes, landmarks, scores), picks the prior configuration by name or, for {@code auto},
     * by the prior count, and decodes with variances 0.1/0.2 and a hard NMS.
     *
     * @param config  {@code auto}, {@code rfb320} (RFB-320 / slim-320) or {@code landmark320}
     * @param outputs every output, flat in its stored order (prior-major)
     * @param inputW  network input width
     * @param inputH  network input height
     * @param outW    width the boxes are scaled to (the picture, or the input)
     * @param outH    height the boxes are scaled to
     */
    static List<Detection> ssd(String config, List<float[]> outputs, int inputW, int inputH, float threshold, float nms, int outW,
                               int outH, List<String> labels) {
        int boxes = -1;
        int scores = -1;
        for (int i = 0; i < outputs.size() && boxes < 0; i++) {
            for (int j = 0; j < outputs.size(); j++) {
                int n = outputs.get(i).length;
                if (i != j && n > 0 && n % 4 == 0 && outputs.get(j).length * 2L == n) {
                    boxes = i;
                    scores = j;
                    break;
                }
            }
        }
        StringBuilder sizes = new StringBuilder();
        for (float[] o : outputs) {
            sizes.append(sizes.length() == 0 ? "" : ", ").append(o.length);
        }
        if (boxes < 0) {
            throw new IllegalArgumentException("--ssd needs a box output (4 values per prior) and a score output (2 per prior); this "
                    + "model's " + outputs.size() + " output(s) hold " + sizes + " values");
        }
        int priors = outputs.get(boxes).length / 4;
        UltraFaceDecoder d = decoder(config, inputW, inputH, threshold, nms);
        if (d == null) {
            d = UltraFaceDecoder.forPriorCount(inputW, inputH, priors, threshold, nms);
        }
        if (d == null || d.priorCount() != priors) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--ssd%s: the outputs (%s values) hold %d priors, but at %d×%d the Ultra-Light RFB-320 priors number %d and "
                            + "the facedetect_landmark priors %d; the model is not one of these detectors at this input size",
                    "auto".equals(config) ? "" : "=" + config, sizes, priors, inputW, inputH,
                    UltraFaceDecoder.rfb320(inputW, inputH, threshold, nms).priorCount(),
                    UltraFaceDecoder.landmark320(inputW, inputH, threshold, nms).priorCount()));
        }
        return d.decode(outputs.get(boxes), outputs.get(scores), outW, outH, labels);
    }

    /** The named prior configuration, or null for {@code auto}. */
    private static UltraFaceDecoder decoder(String config, int w, int h, float threshold, float nms) {
        switch (config.toLowerCase(Locale.ROOT)) {
            case "auto":
                return null;
            case "rfb320":
            case "rfb-320":
            case "slim320":
            case "slim-320":
                return UltraFaceDecoder.rfb320(w, h, threshold, nms);
            case "landmark320":
            case "landmark-320":
                return UltraFaceDecoder.landmark320(w, h, threshold, nms);
            default:
                throw new IllegalArgumentException("--ssd takes auto, rfb320 (RFB-320 / slim-320 priors) or landmark320 "
                        + "(facedetect_landmark priors), not '" + config + "'");
        }
    }
}

package k210studio.converter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code k210 run --ssd} and {@code --yolo} on nncase's real detectors: the Ultra-Light face detectors (beta2 RFB-320
 * priors, beta4 facedetect_landmark priors) find the faces of face.jpg through the product's face decoder, with the
 * boxes in the JSON and text shape of {@code --yolo}; anchors that do not match a YOLO output's channels, and an SSD
 * prior set that does not match the outputs, are refused with exit 2 and a message naming both sides.
 */
class RunDetectorsTest extends CliTestBase {
    private static final String RFB = "kmodel/v4/nncase-v0.2.0-beta2_ulffd_ultra_face_3x240x320.kmodel";
    private static final String LANDMARK = "kmodel/v4/nncase-v0.2.0-beta4_ulffd_landmark_3x240x320.kmodel";
    private static final String FACE_YOLO = "kmodel/v3/face_detect_yolov2_320x240.kmodel";
    private final ObjectMapper om = new ObjectMapper();

    private List<JsonNode> boxes(String json) throws Exception {
        List<JsonNode> b = new ArrayList<>();
        om.readTree(json).get("boxes").forEach(b::add);
        return b;
    }

    @Test
    void ssdFindsTheFacesWithEitherPriorSetChosenFromThePriorCount() throws Exception {
        for (String model : List.of(RFB, LANDMARK)) {
            assertThat(cli("run", fx(model), "--image", fx("images/face.jpg"), "--ssd", "--json")).as(err).isZero();
            List<JsonNode> b = boxes(out);
            // face.jpg (512×355): the two large faces in front are found by both detectors, well above 0.7
            assertThat(b).as(model).hasSizeBetween(2, 6);
            for (JsonNode box : b) {
                assertThat(box.fieldNames()).toIterable().containsExactly("classId", "label", "score", "x", "y", "w", "h");
                assertThat(box.get("label").asText()).isEqualTo("face");
                assertThat(box.get("score").asDouble()).isGreaterThan(0.7);
                assertThat(box.get("x").asDouble() + box.get("w").asDouble()).isLessThanOrEqualTo(520);
            }
            long large = b.stream().filter(x -> x.get("w").asDouble() > 80 && x.get("score").asDouble() > 0.88).count();
            assertThat(large).as(model).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void ssdTextListsTheBoxesLikeYoloAndTheThresholdIsHonoured() {
        assertThat(cli("run", fx(RFB), "--image", fx("images/face.jpg"), "--ssd=rfb320", "--threshold", "0.9")).as(err).isZero();
        assertThat(out).contains("box(es):").containsPattern("\\n  face\\s+0\\.9\\d+  x=");
        assertThat(out).doesNotContainPattern("face\\s+0\\.[0-8]");
    }

    @Test
    void ssdWithPriorsThatDoNotMatchTheOutputsIsAUsageError() {
        assertThat(cli("run", fx(LANDMARK), "--image", fx("images/face.jpg"), "--ssd=rfb320")).isEqualTo(2);
        assertThat(err).contains("3160 priors").contains("RFB-320 priors number 4420");
        assertThat(cli("run", fx(FACE_YOLO), "--image", fx("images/face.jpg"), "--ssd")).isEqualTo(2);
        assertThat(err).contains("--ssd needs a box output").contains("9000 values");
        assertThat(cli("run", fx(RFB), "--image", fx("images/face.jpg"), "--ssd", "--yolo", "1,1")).isEqualTo(2);
        assertThat(err).contains("not both");
    }

    @Test
    void yoloTakesTheAnchorCountFromTheAnchorsAndRefusesAMismatch() throws Exception {
        // the Kendryte face detector: 30 channels = 5 anchors × (5 + 1 class)
        String five = "1.889,2.5245,2.9465,3.94056,3.99987,5.3658,5.155437,6.92275,6.718375,9.01025";
        assertThat(cli("run", fx(FACE_YOLO), "--image", fx("images/face.jpg"), "--yolo", five, "--json")).as(err).isZero();
        assertThat(boxes(out)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cli("run", fx(FACE_YOLO), "--image", fx("images/face.jpg"), "--yolo", "1.889,2.5245,2.9465,3.94056,3.99987,5.3658,5.155437,6.92275"))
                .isEqualTo(2);
        assertThat(err).contains("output 0 has 30 channels").contains("the 4 anchor(s) given (8 numbers)")
                .contains("5 anchors × (5 + 1)");
        assertThat(cli("run", fx(FACE_YOLO), "--image", fx("images/face.jpg"), "--yolo", "1,2,3")).isEqualTo(2);
        assertThat(err).contains("width,height pairs").contains("3 number(s)");
    }
}

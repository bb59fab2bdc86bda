package k210studio.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** The bundled resources: index complete, images decodable and byte-identical to the fixtures, label files as documented. */
class AssetsTest {

    @Test
    void theIndexListsExactlyTheFilesInTheResourceFolder() throws Exception {
        Path root = Paths.get("src/main/resources", Assets.ROOT);
        List<String> onDisk;
        try (Stream<Path> s = Files.walk(root)) {
            onDisk = s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.equals("index.txt")).sorted().toList();
        }
        assertThat(Assets.all()).containsExactlyElementsOf(onDisk);
        for (String n : Assets.all()) {
            try (InputStream in = Assets.open(n)) {
                assertThat(in.read()).as(n).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void imagesDecodeWithTheirDocumentedSizes() throws Exception {
        assertThat(Assets.images()).contains("images/face.jpg", "images/cat.bmp", "images/grace_hopper.bmp", "images/digits/digit_7.png");
        assertThat(Assets.images()).hasSize(13);
        assertSize("images/face.jpg", 512, 355);
        assertSize("images/cat.bmp", 512, 341);
        assertSize("images/grace_hopper.bmp", 512, 600);
        for (int d = 0; d < 10; d++) {
            assertSize("images/digits/digit_" + d + ".png", 28, 28);
        }
    }

    @Test
    void imagesAreUnmodifiedCopiesOfTheFixtures() throws Exception {
        for (String n : Assets.images()) {
            byte[] shipped;
            try (InputStream in = Assets.open(n)) {
                shipped = in.readAllBytes();
            }
            assertThat(sha256(shipped)).as(n).isEqualTo(sha256(Files.readAllBytes(SharedFixtures.fixture(n))));
        }
    }

    @Test
    void imagenetLabelListsLineUp() throws Exception {
        List<String> coral = Assets.lines("labels/imagenet_1001_coral.txt");
        List<String> keras = Assets.lines("labels/imagenet_1000.txt");
        assertThat(coral).hasSize(1001);
        assertThat(keras).hasSize(1000);
        assertThat(coral.get(0)).isEqualTo("background");
        assertThat(coral.subList(1, 1001)).isEqualTo(keras);
        // Coral's classification test: the cat photo is class 283 "tiger cat" of the 1001-class list
        assertThat(coral.get(283)).isEqualTo("tiger cat");
        // Keras Applications' 1000-class order: 0 tench, 281 tabby, 282 tiger cat, 999 toilet tissue
        assertThat(keras.get(0)).startsWith("tench");
        assertThat(keras.get(281)).startsWith("tabby");
        assertThat(keras.get(282)).isEqualTo("tiger cat");
        assertThat(keras.get(999)).startsWith("toilet tissue");
        assertThat(keras.get(134)).isEqualTo("crane");
        assertThat(keras.get(517)).isEqualTo("crane");
        try (InputStream in = Assets.open("labels/imagenet_1001_coral.txt")) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(Files.readAllBytes(SharedFixtures.fixture("tflite/coral_imagenet_labels_1001.txt"))));
        }
    }

    @Test
    void vocAndTwoClassLabels() throws Exception {
        assertThat(Assets.lines("labels/voc20.txt")).containsExactly("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car",
                "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
                "tvmonitor");
        assertThat(Assets.lines("labels/two_class.txt")).containsExactly("negative", "positive");
        assertThat(Assets.labelFiles()).containsExactly("labels/imagenet_1000.txt", "labels/imagenet_1001_coral.txt",
                "labels/two_class.txt", "labels/voc20.txt");
    }

    @Test
    void unknownNamesAreReportedWithTheKnownOnes() {
        assertThatThrownBy(() -> Assets.open("samples/nope.k210proj")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bundled asset named 'samples/nope.k210proj'").hasMessageContaining("samples/brief_two_class.k210proj");
        assertThat(Assets.stem("samples/brief_two_class.k210proj")).isEqualTo("brief_two_class");
    }

    private static void assertSize(String name, int w, int h) throws Exception {
        BufferedImage img;
        try (InputStream in = Assets.open(name)) {
            img = ImageIO.read(in);
        }
        assertThat(img).as(name).isNotNull();
        assertThat(img.getWidth()).as(name).isEqualTo(w);
        assertThat(img.getHeight()).as(name).isEqualTo(h);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}

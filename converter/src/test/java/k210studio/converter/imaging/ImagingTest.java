package k210studio.converter.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.ir.tensor.Tensor;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image decoding, PIL-style resizing and normalisation used to feed float models. */
class ImagingTest {

    @Test
    void grayBmpKeepsItsStoredBytes() throws Exception {
        // tflite-micro's person picture stores int8 data as gray bytes; ImageIO's getRGB would gamma-convert them
        DecodedImage img = ImageDecoder.decode(SharedFixtures.fixture("images/person_96x96_int8bytes.bmp"));
        assertThat(img.channels()).isEqualTo(1);
        assertThat(img.width()).isEqualTo(96);
        assertThat(img.sample(0, 0, 0)).isEqualTo(11);
    }

    @Test
    void colourBmpIsRgb() throws Exception {
        DecodedImage img = ImageDecoder.decode(SharedFixtures.fixture("images/cat.bmp"));
        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.width()).isEqualTo(512);
        assertThat(img.height()).isEqualTo(341);
        // top-left pixel of cat.bmp is 0xdf7c52
        assertThat(new int[] {img.sample(0, 0, 0), img.sample(0, 0, 1), img.sample(0, 0, 2)}).containsExactly(0xdf, 0x7c, 0x52);
    }

    @Test
    void bilinearMatchesPilOnATwoPixelRow() {
        DecodedImage row = new DecodedImage(2, 1, 1, new int[] {0, 255});
        // PIL: Image.fromarray(np.uint8([[0, 255]])).resize((4, 1), Image.BILINEAR) → [0, 64, 191, 255]
        assertThat(ImageResizer.bilinear(row, 4, 1).samples()).containsExactly(0, 64, 191, 255);
    }

    @Test
    void shrinkingAveragesEverySourcePixel() {
        int[] px = new int[8 * 8];
        for (int i = 0; i < px.length; i++) {
            px[i] = ((i / 8) + (i % 8)) % 2 == 0 ? 0 : 200; // checkerboard
        }
        DecodedImage small = ImageResizer.bilinear(new DecodedImage(8, 8, 1, px), 2, 2);
        assertThat(java.util.Arrays.stream(small.samples()).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(90, 110));
        // nearest picks floor(d·in/out): every picked pixel is a black one
        assertThat(ImageResizer.nearest(new DecodedImage(8, 8, 1, px), 2, 2).samples()).containsOnly(0);
    }

    @Test
    void channelsConvertWithPilLumaAndNormalisationIsPixelMinusMeanOverStd() {
        DecodedImage rgb = new DecodedImage(1, 1, 3, new int[] {255, 0, 0});
        assertThat(rgb.withChannels(1).samples()).containsExactly(76);
        assertThat(rgb.withChannels(1).withChannels(3).samples()).containsExactly(76, 76, 76);
        Tensor t = ImagePreprocessor.normalized(new DecodedImage(2, 1, 1, new int[] {0, 255}), 1, 2, 1, 127.5f, 127.5f);
        assertThat(t.shape()).containsExactly(1, 2, 1);
        assertThat(t.data()).containsExactly(-1f, 1f);
        assertThat(ImagePreprocessor.pixels(new DecodedImage(2, 1, 1, new int[] {0, 255}), 1, 2, 1, false, true))
                .containsExactly(255, 0);
    }

    @Test
    void nonImagesAreAClearError(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("x.png");
        Files.writeString(junk, "not an image");
        assertThatThrownBy(() -> ImageDecoder.decode(junk)).isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("x.png");
        assertThatThrownBy(() -> ImageDecoder.decode(dir.resolve("missing.bmp"))).isInstanceOf(ImageFormatException.class);
    }
}

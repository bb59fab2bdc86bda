package k210studio.kpu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** Image decoding and the MaixPy-style model input. */
class ImageInputTest {

    static byte[] encode(BufferedImage img, String format) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, o)).isTrue();
        return o.toByteArray();
    }

    @Test
    void eightBitGrayBmpKeepsRawValues() throws Exception {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 17, 128, 200, 254, 255});
        RgbImage img = ImageFiles.decode(encode(g, "bmp"), "gray.bmp");
        assertThat(img.isGray()).isTrue();
        assertThat(img.at(1, 0, 0)).isEqualTo(17);
        assertThat(img.at(2, 0, 1)).isEqualTo(128);
        assertThat(img.at(0, 1, 2)).isEqualTo(200);
    }

    @Test
    void paletteBmpIsExpandedToRgb() throws Exception {
        // a full 256-entry palette, so the BMP is written with 8 bits per pixel
        byte[] r = new byte[256];
        byte[] gr = new byte[256];
        byte[] b = new byte[256];
        r[0] = (byte) 255;
        gr[1] = (byte) 255;
        r[2] = 10;
        gr[2] = 20;
        b[2] = 30;
        BufferedImage p = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, gr, b));
        p.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {2, 1});
        RgbImage img = ImageFiles.decode(encode(p, "bmp"), "palette.bmp");
        assertThat(new int[] {img.at(0, 0, 0), img.at(0, 0, 1), img.at(0, 0, 2)}).containsExactly(10, 20, 30);
        assertThat(img.at(1, 0, 1)).isEqualTo(255);
    }

    @Test
    void fixturesDecode() throws Exception {
        RgbImage face = ImageFiles.read(SharedFixtures.fixture("images/face.jpg"));
        assertThat(face.width()).isEqualTo(512);
        assertThat(face.height()).isEqualTo(355);
        RgbImage digit = ImageFiles.read(SharedFixtures.fixture("images/digits/digit_0.png"));
        assertThat(digit.width()).isEqualTo(28);
        assertThat(digit.isGray()).isTrue();
    }

    @Test
    void garbageIsADecodeErrorNamingTheFile() {
        assertThatThrownBy(() -> ImageFiles.decode(new byte[] {1, 2, 3}, "x.jpg"))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("x.jpg");
    }

    @Test
    void aBmpHeaderDeclaringHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
        BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bmp = encode(g, "bmp");
        // BITMAPINFOHEADER width at 18, height at 22: claim 100000 x 100000
        for (int off : new int[] {18, 22}) {
            bmp[off] = (byte) 0xA0;
            bmp[off + 1] = (byte) 0x86;
            bmp[off + 2] = 0x01;
            bmp[off + 3] = 0;
        }
        assertThatThrownBy(() -> ImageFiles.decode(bmp, "bomb.bmp")).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("bomb.bmp");
    }

    @Test
    void rgb565RoundTripLikeOpenMv() {
        assertThat(ModelImageInput.expand5(255)).isEqualTo(255);
        assertThat(ModelImageInput.expand5(100)).isEqualTo(99); // 12 -> 96 | 3
        assertThat(ModelImageInput.expand6(100)).isEqualTo(101); // 25 -> 100 | 1
        RgbImage img = new RgbImage(1, 1, new byte[] {100, 100, 100});
        byte[] p = ModelImageInput.planar(img, 1, 1, 3, ImageResize.Method.NEAREST, false, true);
        assertThat(new int[] {p[0] & 0xFF, p[1] & 0xFF, p[2] & 0xFF}).containsExactly(99, 101, 99);
    }

    @Test
    void planarRgbLayoutAndGrayLuminance() {
        // 2x1 image: red, white
        RgbImage img = new RgbImage(2, 1, new byte[] {(byte) 255, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        byte[] rgb = ModelImageInput.planar(img, 2, 1, 3, ImageResize.Method.BILINEAR, false);
        assertThat(rgb).containsExactly((byte) 255, (byte) 255, 0, (byte) 255, 0, (byte) 255);
        byte[] gray = ModelImageInput.planar(img, 2, 1, 1, ImageResize.Method.BILINEAR, false);
        assertThat(gray[0] & 0xFF).isEqualTo((38 * 255) >> 7);
        assertThat(gray[1] & 0xFF).isEqualTo(255);
        byte[] inv = ModelImageInput.planar(img, 2, 1, 1, ImageResize.Method.BILINEAR, true);
        assertThat(inv[1] & 0xFF).isZero();
    }

    @Test
    void bilinearDownscaleAveragesAndKeepsConstantImagesConstant() {
        byte[] px = new byte[3 * 4 * 4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                byte v = (byte) (((x + y) & 1) == 0 ? 0 : 200);
                for (int c = 0; c < 3; c++) {
                    px[3 * (y * 4 + x) + c] = v;
                }
            }
        }
        RgbImage checker = new RgbImage(4, 4, px);
        RgbImage half = ImageResize.resize(checker, 2, 2, ImageResize.Method.BILINEAR);
        assertThat(half.at(0, 0, 0)).isBetween(90, 110); // averaged, not aliased to 0 or 200
        RgbImage near = ImageResize.resize(checker, 2, 2, ImageResize.Method.NEAREST);
        assertThat(near.at(1, 0, 0)).isEqualTo(0); // src x = 2, y = 0 -> black
        byte[] flat = new byte[3 * 5 * 3];
        java.util.Arrays.fill(flat, (byte) 77);
        RgbImage up = ImageResize.resize(new RgbImage(5, 3, flat), 11, 7, ImageResize.Method.BILINEAR);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 11; x++) {
                assertThat(up.at(x, y, 1)).isEqualTo(77);
            }
        }
    }
}

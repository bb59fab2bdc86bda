package k210studio.app.train;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import k210studio.testing.SharedFixtures;

/** A three-class dataset folder for UI tests: random crops of the cat, Grace Hopper and faces photos, scaled with AWT. */
final class PhotoFolders {
    static final List<String> CLASSES = List.of("cat", "hopper", "people");

    private PhotoFolders() {
    }

    static Path build(Path dir, int perClass, int size) throws IOException {
        List<String> photos = List.of("images/cat.bmp", "images/grace_hopper.bmp", "images/face.jpg");
        Random r = new Random(17);
        for (int c = 0; c < photos.size(); c++) {
            BufferedImage src = ImageIO.read(SharedFixtures.fixture(photos.get(c)).toFile());
            Path folder = Files.createDirectories(dir.resolve(CLASSES.get(c)));
            for (int i = 0; i < perClass; i++) {
                double s = 0.5 + 0.4 * r.nextDouble();
                int w = (int) (src.getWidth() * s);
                int h = (int) (src.getHeight() * s);
                BufferedImage crop = src.getSubimage(r.nextInt(src.getWidth() - w + 1), r.nextInt(src.getHeight() - h + 1), w, h);
                BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = out.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(crop, 0, 0, size, size, null);
                g.dispose();
                ImageIO.write(out, "png", folder.resolve(CLASSES.get(c) + "_" + i + ".png").toFile());
            }
        }
        return dir;
    }
}

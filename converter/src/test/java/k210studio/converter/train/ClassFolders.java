package k210studio.converter.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import k210studio.kpu.image.ImageFiles;
import k210studio.kpu.image.ImageResize;
import k210studio.kpu.image.RgbImage;
import k210studio.testing.SharedFixtures;

/**
 * Builds a class-folder dataset in a temp folder from fixture photos: per class, {@code perClass} pictures made from
 * one photo by a random crop (45–90 % of each side by default, anywhere), a random horizontal flip and a brightness change of up
 * to ±30 %, resized to {@code size}×{@code size} and written as PNG — distinct classes with real variation inside each.
 */
public final class ClassFolders {
    private ClassFolders() {
    }

    public static Path build(Path dir, List<String> fixtures, List<String> classes, int perClass, int size, long seed)
            throws IOException, k210studio.kpu.image.ImageDecodeException {
        return build(dir, fixtures, classes, perClass, size, seed, 0.45f, true);
    }

    /** As {@link #build(Path, List, List, int, int, long)} with crops of {@code minCrop}…90 % and optional flips (not for digits). */
    public static Path build(Path dir, List<String> fixtures, List<String> classes, int perClass, int size, long seed, float minCrop, boolean flips)
            throws IOException, k210studio.kpu.image.ImageDecodeException {
        Random r = new Random(seed);
        for (int c = 0; c < fixtures.size(); c++) {
            RgbImage src = ImageFiles.read(SharedFixtures.fixture(fixtures.get(c)));
            Path folder = Files.createDirectories(dir.resolve(classes.get(c)));
            for (int i = 0; i < perClass; i++) {
                float s = minCrop + (0.9f - minCrop) * r.nextFloat();
                int cw = Math.max(1, Math.round(src.width() * s));
                int ch = Math.max(1, Math.round(src.height() * s));
                RgbImage crop = Augmentation.crop(src, r.nextInt(src.width() - cw + 1), r.nextInt(src.height() - ch + 1), cw, ch);
                RgbImage img = ImageResize.resize(crop, size, size, ImageResize.Method.BILINEAR);
                boolean flip = flips && r.nextBoolean();
                float f = 0.7f + 0.6f * r.nextFloat();
                BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int sx = flip ? size - 1 - x : x;
                        int[] v = new int[3];
                        for (int k = 0; k < 3; k++) {
                            v[k] = Math.min(255, Math.round(img.at(sx, y, k) * f));
                        }
                        out.setRGB(x, y, (v[0] << 16) | (v[1] << 8) | v[2]);
                    }
                }
                ImageIO.write(out, "png", folder.resolve(String.format("%s_%03d.png", classes.get(c), i)).toFile());
            }
        }
        return dir;
    }
}

package k210studio.app.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import k210studio.app.simulate.Simulator;
import k210studio.ir.project.Project;
import k210studio.ir.tensor.TensorShape;
import k210studio.kpu.image.RgbImage;

/**
 * The calibration page's preview: where the images come from, the preprocessing and the input range it gives, and the
 * board input of the first image (planar C×H×W, as the K210 gets it), or the reason there is none.
 */
public record CalibrationPreview(String text, byte[] planar, int c, int h, int w) {

    public static CalibrationPreview of(Project project, String calibrationFolder) {
        try {
            TensorShape in = Simulator.imageInput(project.graph());
            Simulator.PixelNormalization n = Simulator.normalization(project.settings().preprocessing(), in.c());
            RgbImage first = null;
            String src;
            String folder = calibrationFolder == null ? "" : calibrationFolder.trim();
            if (!folder.isEmpty()) {
                List<Path> files = ExportViewModel.imagesIn(Path.of(folder));
                src = files.size() + " image(s) in the folder";
                if (!files.isEmpty()) {
                    first = Simulator.readImage(files.get(0).toString());
                }
            } else {
                List<String> s = project.settings().sampleImages();
                src = "no folder: the project's " + s.size() + " sample image(s) " + s;
                if (!s.isEmpty()) {
                    first = Simulator.readImage(s.get(0));
                }
            }
            String text = String.format(Locale.ROOT, "%s. Preprocessing (saved in the project): %s — the K210 gets x = (pixel − %s) / %s "
                    + "→ inputs in [%.4g, %.4g]; input %d×%d×%d (H×W×C)%s.", src, k210studio.app.simulate.ModelInputText.of(project),
                    trim(n.mean()), trim(n.std()), (0 - n.mean()) / n.std(), (255 - n.mean()) / n.std(), in.h(), in.w(), in.c(),
                    n.warning() == null ? "" : "; " + n.warning());
            byte[] planar = first == null ? null : Simulator.planar(first, in.c(), in.h(), in.w(), project.settings().preprocessing().channelOrder());
            return new CalibrationPreview(text, planar, in.c(), in.h(), in.w());
        } catch (Exception e) {
            return new CalibrationPreview("Cannot preview: " + e.getMessage(), null, 0, 0, 0);
        }
    }

    static String trim(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}

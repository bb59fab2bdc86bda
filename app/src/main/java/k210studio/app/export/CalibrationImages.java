package k210studio.app.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.app.simulate.Simulator;
import k210studio.converter.compile.CalibrationDataset;
import k210studio.converter.compile.CompileException;
import k210studio.ir.project.Project;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/** The calibration set of an export: at most {@code max} images of a folder, or the project's sample images when none is given. */
record CalibrationImages(Project project, String folder, int max) {

    List<Tensor> load(TensorShape in, Simulator.PixelNormalization n) throws CompileException {
        if (!folder.isEmpty()) {
            return CalibrationDataset.load(Path.of(folder), in, n.mean(), n.std(), max);
        }
        List<Tensor> out = new ArrayList<>();
        for (String s : project.settings().sampleImages()) {
            if (out.size() >= max) {
                break;
            }
            try {
                out.add(Simulator.tensor(Simulator.readImage(s), in, n, project.settings().preprocessing().channelOrder()));
            } catch (Exception e) {
                throw new CompileException("cannot read the sample image " + s + ": " + e.getMessage()
                        + " (choose a calibration folder instead)", null, e);
            }
        }
        if (out.isEmpty()) {
            throw new CompileException("no calibration images: choose a folder of sample images on the Calibration page", null);
        }
        return out;
    }
}

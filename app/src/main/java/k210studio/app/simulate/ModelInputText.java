package k210studio.app.simulate;

import k210studio.app.preprocess.ModelInput;
import k210studio.ir.project.Project;

/** The project's preprocessing as Simulate and the export wizard show it: "[-1, 1]: x = (pixel − 127.5) / 127.5". */
public final class ModelInputText {
    private ModelInputText() {
    }

    public static String of(Project p) {
        int channels = 3;
        try {
            channels = Simulator.imageInput(p.graph()).c();
        } catch (Exception e) {
            // not an image model: describe the values for three channels
        }
        return ModelInput.describe(p.settings().preprocessing(), channels) + ", " + p.settings().preprocessing().channelOrder();
    }
}

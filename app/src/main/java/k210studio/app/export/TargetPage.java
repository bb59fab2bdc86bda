package k210studio.app.export;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import k210studio.app.Theme;
import k210studio.ir.rules.Target;

/** Page 1: V3 or V4, what each supports, which MaixPy firmware loads which, the project's verdicts for both. */
final class TargetPage extends VBox {
    TargetPage(ExportViewModel vm) {
        super(10);
        RadioButton v3 = new RadioButton("kmodel V3 (nncase 0.1.0-rc5)");
        RadioButton v4 = new RadioButton("kmodel V4 (nncase 0.2.0-beta4)");
        v3.setId("export-v3");
        v4.setId("export-v4");
        ToggleGroup tg = new ToggleGroup();
        v3.setToggleGroup(tg);
        v4.setToggleGroup(tg);
        Runnable sync = () -> (vm.target() == Target.V4 ? v4 : v3).setSelected(true);
        sync.run();
        vm.targetProperty().addListener((o, a, b) -> sync.run());
        tg.selectedToggleProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.targetProperty().set(b == v4 ? Target.V4 : Target.V3);
            }
        });
        getChildren().add(new Label("Which kmodel should the studio write?"));
        getChildren().add(choice(v3, TargetSummary.of(vm.check(), Target.V3),
                "Fewer operators, less memory and faster: KPU convs (1×1, 3×3, stride 1/2 with symmetric padding), "
                        + "BN + activation + 2×2/4×4 pooling fused, Dense as a 1×1 KPU conv or float on the CPU, and a few "
                        + "CPU layers (global average pool, softmax, add, concat, flatten, nearest upsampling, pooling).",
                "Loads on every MaixPy firmware (and the standalone SDK's kpu_load_kmodel)."));
        getChildren().add(choice(v4, TargetSummary.of(vm.check(), Target.V4),
                "More operators, the extra ones in software on the CPU (TF 'same' stride 2 with pad/crop, PReLU, bigger "
                        + "kernels as float convs, transposed conv…), at a cost in memory and time. Output shapes are not in the "
                        + "file: the script calls kpu.set_outputs.",
                "Needs MaixPy v0.6.2 or later built with kmodel V4 support (CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT); a V3-only "
                        + "firmware says \"only support kmodel V3\" (or ERR_KMODEL_VERSION)."));
        Label rec = WizardPages.wrap(TargetSummary.recommendation(vm.check()));
        rec.setStyle("-fx-font-weight: bold");
        getChildren().add(rec);
    }

    private static VBox choice(RadioButton rb, TargetSummary s, String supports, String firmware) {
        Label verdicts = new Label(s.verdicts());
        verdicts.setId("export-verdicts-" + s.target().label().toLowerCase(Locale.ROOT));
        Theme.verdict(verdicts, s.converts());
        VBox box = new VBox(4, rb, WizardPages.wrap(supports), WizardPages.wrap("Firmware: " + firmware), verdicts);
        for (String p : s.problems()) {
            Label l = WizardPages.wrap("• " + p);
            Theme.verdict(l, false);
            box.getChildren().add(l);
        }
        box.setPadding(new Insets(8));
        box.getStyleClass().add("wizard-choice");
        return box;
    }
}

package k210studio.app.simulate;

import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import k210studio.app.Theme;

/** The board input as the K210 gets it, and the float and K210 answers (top-k, boxes or raw values). */
final class AnswersView extends VBox {
    private final SimulateViewModel vm;
    private final ImageView inputView = new ImageView();
    private final VBox floatBox = new VBox(2);
    private final VBox k210Box = new VBox(2);

    AnswersView(SimulateViewModel vm) {
        super(6);
        this.vm = vm;
        inputView.setPreserveRatio(true);
        inputView.setFitWidth(200);
        inputView.setId("sim-input-view");
        floatBox.setId("sim-float-results");
        k210Box.setId("sim-k210-results");
        getChildren().addAll(new Label("Board input (after resize)"), inputView, titled("Float (reference)", floatBox),
                titled("K210 (kpu-sim)", k210Box));
        setPadding(new Insets(6));
        setMinWidth(230);
        vm.resultProperty().addListener(o -> refresh());
        refresh();
    }

    private void refresh() {
        SimulationResult r = vm.resultProperty().get();
        inputView.setImage(r == null ? null : Images.ofPlanar(r.planarInput(), r.inC(), r.inH(), r.inW()));
        fill(floatBox, vm.floatLines());
        fill(k210Box, vm.k210Lines());
    }

    private static void fill(VBox box, List<AnswerLines.Line> lines) {
        box.getChildren().clear();
        for (AnswerLines.Line line : lines) {
            Label l = new Label(line.text());
            switch (line.style()) {
                case TOP -> {
                    l.getStyleClass().add("sim-top");
                    l.setFont(Font.font("Monospaced", 12));
                }
                case BOX -> l.getStyleClass().add("sim-box");
                case ERROR -> {
                    l.setWrapText(true);
                    Theme.verdict(l, false);
                }
                case NOTE, RAW -> l.setWrapText(true);
                default -> {
                }
            }
            box.getChildren().add(l);
        }
    }

    private static VBox titled(String title, VBox content) {
        Label t = new Label(title);
        t.setStyle("-fx-font-weight: bold");
        VBox b = new VBox(3, t, content);
        VBox.setVgrow(content, Priority.NEVER);
        return b;
    }
}

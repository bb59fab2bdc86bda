package k210studio.app.simulate;

import java.io.File;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.post.Detection;

/** The picked image, scaled to fit, with the float (dashed) and K210 (solid) boxes of the result; files dropped here are opened. */
final class PictureView extends Pane {
    private static final Color BACKGROUND = Color.web("#20242a");
    private final SimulateViewModel vm;
    private final Canvas canvas = new Canvas(400, 300);

    PictureView(SimulateViewModel vm) {
        this.vm = vm;
        getChildren().add(canvas);
        setMinSize(0, 0);
        setPrefSize(640, 400);
        setStyle("-fx-background-color: #20242a");
        canvas.widthProperty().bind(widthProperty());
        canvas.heightProperty().bind(heightProperty());
        canvas.widthProperty().addListener(o -> redraw());
        canvas.heightProperty().addListener(o -> redraw());
        vm.imageProperty().addListener(o -> redraw());
        vm.resultProperty().addListener(o -> redraw());
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            e.setDropCompleted(ok);
            e.consume();
            if (ok) {
                File f = e.getDragboard().getFiles().get(0);
                Platform.runLater(() -> vm.dropped(f.toPath()));
            }
        });
    }

    void redraw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double cw = canvas.getWidth();
        double ch = canvas.getHeight();
        g.setFill(BACKGROUND);
        g.fillRect(0, 0, cw, ch);
        RgbImage img = vm.imageProperty().get();
        if (img == null) {
            return;
        }
        double s = Math.min(cw / img.width(), ch / img.height());
        double ox = (cw - img.width() * s) / 2;
        double oy = (ch - img.height() * s) / 2;
        g.drawImage(Images.of(img), ox, oy, img.width() * s, img.height() * s);
        SimulationResult r = vm.resultProperty().get();
        if (r == null || r.image() != img) {
            return;
        }
        if (r.floatAnswer() != null) {
            drawBoxes(g, r.floatAnswer().boxes(), s, ox, oy, Color.DEEPSKYBLUE, true);
        }
        drawBoxes(g, r.k210Answer().boxes(), s, ox, oy, Color.LIMEGREEN, false);
        g.setFont(Font.font(12));
        g.setFill(Color.LIMEGREEN);
        g.fillText("K210", 8, 16);
        if (r.floatAnswer() != null) {
            g.setFill(Color.DEEPSKYBLUE);
            g.fillText("float (dashed)", 44, 16);
        }
    }

    private static void drawBoxes(GraphicsContext g, List<Detection> boxes, double s, double ox, double oy, Color c, boolean dashed) {
        g.setStroke(c);
        g.setLineWidth(2);
        g.setLineDashes(dashed ? new double[] {6, 4} : null);
        for (Detection d : boxes) {
            g.strokeRect(ox + d.x() * s, oy + d.y() * s, d.w() * s, d.h() * s);
            if (!dashed) {
                String label = String.format(Locale.ROOT, "%s %.2f", d.label() != null ? d.label() : "class " + d.classId(), d.score());
                g.setFill(c);
                g.fillText(label, ox + d.x() * s + 2, Math.max(12, oy + d.y() * s - 3));
            }
        }
        g.setLineDashes(null);
    }
}

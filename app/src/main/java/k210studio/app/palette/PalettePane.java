package k210studio.app.palette;

import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;

/**
 * The layer palette: the {@link LayerCatalog} groups as collapsible sections, with a filter box.
 * Drag an entry onto the canvas to add that layer where it is dropped (a ghost follows the mouse),
 * or double-click it to add it in the middle of the view.
 */
public final class PalettePane extends VBox {

    /** Where palette entries can be dropped (the canvas). */
    public interface DropTarget {
        boolean accepts(double sceneX, double sceneY);

        void drop(String paletteName, double sceneX, double sceneY);

        /** Adds the layer without a position from the mouse (double-click). */
        void add(String paletteName);
    }

    private final DropTarget target;
    private final Pane overlay;
    private final VBox sections = new VBox(4);
    private Label ghost;

    /**
     * @param overlay a mouse-transparent pane covering the window, for the drag ghost
     */
    public PalettePane(DropTarget target, Pane overlay) {
        this.target = target;
        this.overlay = overlay;
        setId("palette");
        getStyleClass().add("palette");
        setSpacing(6);
        setPadding(new Insets(8));
        TextField filter = new TextField();
        filter.setId("palette-filter");
        filter.setPromptText("Filter layers…");
        filter.textProperty().addListener((o, a, b) -> build(b));
        ScrollPane scroll = new ScrollPane(sections);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("palette-scroll");
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(filter, scroll);
        build("");
    }

    private void build(String filter) {
        sections.getChildren().clear();
        String f = filter == null ? "" : filter.trim().toLowerCase();
        for (Map.Entry<String, List<LayerCatalog.Entry>> g : LayerCatalog.groups().entrySet()) {
            VBox items = new VBox(2);
            for (LayerCatalog.Entry e : g.getValue()) {
                if (!f.isEmpty() && !e.kerasName().toLowerCase().contains(f) && !g.getKey().toLowerCase().contains(f)) {
                    continue;
                }
                items.getChildren().add(item(e));
            }
            if (items.getChildren().isEmpty()) {
                continue;
            }
            TitledPane tp = new TitledPane(g.getKey(), items);
            tp.setId("palette-group-" + g.getKey());
            tp.setExpanded(true);
            tp.setAnimated(false);
            sections.getChildren().add(tp);
        }
    }

    private Label item(LayerCatalog.Entry e) {
        Label l = new Label(e.kerasName());
        l.setId("palette-" + e.kerasName());
        l.getStyleClass().add("palette-item");
        l.setMaxWidth(Double.MAX_VALUE);
        Tooltip.install(l, new Tooltip(e.kerasName() + ": " + e.hint() + "\nDrag onto the canvas, or double-click."));
        l.setOnMousePressed(ev -> {
            if (ev.getButton() != MouseButton.PRIMARY) {
                return;
            }
            if (ev.getClickCount() == 2) {
                target.add(e.kerasName());
                ev.consume();
                return;
            }
            ghost = new Label(e.kerasName());
            ghost.getStyleClass().add("palette-ghost");
            ghost.setManaged(false);
            ghost.setMouseTransparent(true);
            ghost.setVisible(false);
            overlay.getChildren().add(ghost);
            ev.consume();
        });
        l.setOnMouseDragged(ev -> {
            if (ghost == null) {
                return;
            }
            Point2D p = overlay.sceneToLocal(ev.getSceneX(), ev.getSceneY());
            ghost.autosize();
            ghost.relocate(p.getX() - ghost.getWidth() / 2, p.getY() - ghost.getHeight() / 2);
            ghost.setVisible(true);
            ghost.getStyleClass().remove("ghost-ok");
            if (target.accepts(ev.getSceneX(), ev.getSceneY())) {
                ghost.getStyleClass().add("ghost-ok");
            }
            ev.consume();
        });
        l.setOnMouseReleased(ev -> {
            if (ghost == null) {
                return;
            }
            boolean moved = ghost.isVisible();
            overlay.getChildren().remove(ghost);
            ghost = null;
            if (moved && target.accepts(ev.getSceneX(), ev.getSceneY())) {
                target.drop(e.kerasName(), ev.getSceneX(), ev.getSceneY());
            }
            ev.consume();
        });
        return l;
    }
}

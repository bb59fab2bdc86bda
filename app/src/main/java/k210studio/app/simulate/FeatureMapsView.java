package k210studio.app.simulate;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The selected layer's channel grids: float, K210 and their difference, under a header naming the layer. The three
 * grids share the pane's width and height: small maps are scaled up (pixels kept sharp), big grids scaled down to fit.
 */
final class FeatureMapsView extends VBox {
    private static final double GAP = 8;
    private final ImageView mapFloat = view("sim-map-float");
    private final ImageView mapK210 = view("sim-map-k210");
    private final ImageView mapDiff = view("sim-map-diff");
    private final Label title = new Label();
    private final HBox maps;

    FeatureMapsView(SimulateViewModel vm) {
        super(6);
        maps = new HBox(GAP, column("Float", mapFloat), column("K210", mapK210), column("K210 − float", mapDiff));
        maps.setId("sim-maps");
        title.setId("sim-map-title");
        title.setWrapText(true);
        getChildren().addAll(title, maps);
        setPadding(new Insets(6));
        setMinSize(0, 0);
        vm.mapsProperty().addListener((o, a, b) -> show(b));
        widthProperty().addListener(o -> fit());
        heightProperty().addListener(o -> fit());
        show(vm.mapsProperty().get());
    }

    private void show(LayerMaps m) {
        title.setText(m.title());
        mapFloat.setImage(null);
        mapK210.setImage(null);
        mapDiff.setImage(null);
        if (m.k210() != null) {
            WritableImage ki = FeatureMapGrid.render(m.k210(), m.lo(), m.hi(), false);
            mapK210.setImage(ki);
            if (m.reference() != null) {
                mapFloat.setImage(FeatureMapGrid.render(m.reference(), m.lo(), m.hi(), false));
                mapDiff.setImage(FeatureMapGrid.render(m.difference(), m.diffLo(), m.diffHi(), true));
            }
        }
        fit();
    }

    /** Each grid gets a third of the width and the height left under the header (and at least 60 px). */
    private void fit() {
        double w = Math.max(60, (getWidth() - getPadding().getLeft() - getPadding().getRight() - 2 * GAP) / 3);
        double h = Math.max(60, getHeight() - getPadding().getTop() - getPadding().getBottom() - title.getHeight() - 40);
        for (ImageView v : new ImageView[] {mapFloat, mapK210, mapDiff}) {
            v.setFitWidth(w);
            v.setFitHeight(h);
        }
    }

    /** The width a grid is drawn at (for tests: it follows the pane). */
    double gridWidth() {
        return mapK210.getImage() == null ? 0 : mapK210.getBoundsInParent().getWidth();
    }

    private static ImageView view(String id) {
        ImageView v = new ImageView();
        v.setId(id);
        v.setPreserveRatio(true);
        v.setSmooth(false);
        return v;
    }

    private static VBox column(String title, ImageView v) {
        VBox b = new VBox(4, new Label(title), v);
        b.setAlignment(Pos.TOP_CENTER);
        return b;
    }
}

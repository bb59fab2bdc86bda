package k210studio.app.simulate;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The selected layer's channel grids: K210, float and their difference, under a header naming the layer. */
final class FeatureMapsView extends VBox {
    private final ImageView mapFloat = view();
    private final ImageView mapK210 = view();
    private final ImageView mapDiff = view();
    private final Label title = new Label();

    FeatureMapsView(SimulateViewModel vm) {
        super(6);
        HBox maps = new HBox(8, column("Float", mapFloat), column("K210", mapK210), column("K210 − float", mapDiff));
        maps.setId("sim-maps");
        title.setId("sim-map-title");
        title.setWrapText(true);
        getChildren().addAll(title, maps);
        setPadding(new Insets(6));
        vm.mapsProperty().addListener((o, a, b) -> show(b));
        show(vm.mapsProperty().get());
    }

    private void show(LayerMaps m) {
        title.setText(m.title());
        mapFloat.setImage(null);
        mapK210.setImage(null);
        mapDiff.setImage(null);
        if (m.k210() == null) {
            return;
        }
        WritableImage ki = FeatureMapGrid.render(m.k210(), m.lo(), m.hi(), false);
        mapK210.setImage(ki);
        double fit = Math.min(360, Math.max(120, ki.getWidth()));
        mapK210.setFitWidth(fit);
        if (m.reference() != null) {
            mapFloat.setImage(FeatureMapGrid.render(m.reference(), m.lo(), m.hi(), false));
            mapDiff.setImage(FeatureMapGrid.render(m.difference(), m.diffLo(), m.diffHi(), true));
            mapFloat.setFitWidth(fit);
            mapDiff.setFitWidth(fit);
        }
    }

    private static ImageView view() {
        ImageView v = new ImageView();
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

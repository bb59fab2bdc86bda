package k210studio.app.preprocess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import k210studio.app.simulate.Images;
import k210studio.app.simulate.Simulator;
import k210studio.app.work.Job;
import k210studio.app.work.JobListener;
import k210studio.app.work.Jobs;
import k210studio.assets.Assets;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.ir.graph.Graph;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.kpu.image.RgbImage;
import k210studio.kpu.post.Scored;

/**
 * Asks once, at import, how a model expects its image input when the file does not say: the usual presets (and
 * custom mean/std), each with the float network's top-1 on a bundled image next to it, the top-5 of the chosen one
 * below, and — for an ImageNet-sized output without labels — the bundled ImageNet labels on offer.
 */
public final class PreprocessingDialog extends Dialog<ModelInput.Answer> {
    private final Graph graph;
    private final ModelConventions conventions;
    private final Jobs jobs = Jobs.fx();
    private final ToggleGroup group = new ToggleGroup();
    private final Map<PreprocessingPreset, RadioButton> presets = new EnumMap<>(PreprocessingPreset.class);
    private final RadioButton fromFile;
    private final RadioButton custom = new RadioButton("Custom: x = (pixel − mean) / std");
    private final TextField mean = new TextField("127.5");
    private final TextField std = new TextField("127.5");
    private final ComboBox<String> image = new ComboBox<>();
    private final ImageView thumb = new ImageView();
    private final VBox top5 = new VBox(2);
    private final Label previewNote = new Label();
    private final CheckBox useLabels;
    private final List<String> bundled;
    private Job job;

    /** At import: what the file says is offered first ("From the file"). */
    public PreprocessingDialog(Window owner, String modelName, Graph graph, ModelConventions conventions) {
        this(owner, modelName, graph, conventions, false);
    }

    /**
     * @param editing true to change a project's preprocessing later (its current one is offered first, "Now: …")
     */
    public PreprocessingDialog(Window owner, String modelName, Graph graph, ModelConventions conventions, boolean editing) {
        this.graph = graph;
        this.conventions = conventions;
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("K210 Studio — import " + modelName);
        setHeaderText(conventions.knowsPreprocessing() && !editing ? "Which labels should " + modelName + " use?"
                : "How does " + modelName + " expect its input?");
        getDialogPane().setId("preprocess-dialog");
        VBox box = new VBox(8);
        box.setPadding(new Insets(4));
        box.setPrefWidth(640);
        Label why = new Label(editing ? "Pick the preprocessing the model was trained with; the float network's answer on the "
                + "picture below shows which one fits. The choice is saved with the project and used by Simulate, the compiler and boot.py."
                : conventions.knowsPreprocessing() ? "The file gives the preprocessing (" + conventions.preprocessingSource() + ") but no class names."
                : "The file does not say how pixels (0..255) become input values. Pick the preprocessing the model was trained "
                + "with; the float network's answer on the picture below shows which one fits. The choice is saved with the "
                + "project and used by Simulate, the compiler and boot.py.");
        why.setWrapText(true);
        box.getChildren().add(why);
        fromFile = conventions.knowsPreprocessing() ? radio((editing ? "Now: " : "From the file: ") + ModelInput.describe(conventions.preprocessing(), channels()),
                "preprocess-file") : null;
        if (fromFile != null) {
            box.getChildren().add(fromFile);
        }
        for (PreprocessingPreset p : PreprocessingPreset.values()) {
            RadioButton rb = radio(p.toString(), "preprocess-" + p.name().toLowerCase(Locale.ROOT));
            presets.put(p, rb);
            box.getChildren().add(rb);
        }
        custom.setToggleGroup(group);
        custom.setId("preprocess-custom");
        mean.setPrefColumnCount(6);
        std.setPrefColumnCount(6);
        mean.setId("preprocess-mean");
        std.setId("preprocess-std");
        mean.disableProperty().bind(custom.selectedProperty().not());
        std.disableProperty().bind(custom.selectedProperty().not());
        box.getChildren().add(new HBox(8, custom, new Label("mean"), mean, new Label("std"), std));
        (fromFile != null ? fromFile : presets.get(PreprocessingPreset.UNIT)).setSelected(true);

        String labelFile = conventions.labels().isEmpty() ? ModelInput.imagenetLabelFile(conventions.classes()) : null;
        List<String> names = List.of();
        if (labelFile != null) {
            try {
                names = ModelInput.bundledLabels(labelFile);
            } catch (IOException e) {
                names = List.of();
            }
        }
        bundled = names;
        useLabels = bundled.isEmpty() ? null : new CheckBox("Use the bundled ImageNet labels (" + labelFile + ", " + bundled.size() + " classes)");
        if (useLabels != null) {
            useLabels.setId("preprocess-labels");
            useLabels.setSelected(true);
            box.getChildren().add(useLabels);
            useLabels.selectedProperty().addListener(o -> refresh());
        }

        image.getItems().addAll(Assets.images());
        image.setId("preprocess-image");
        image.setValue(image.getItems().contains("images/cat.bmp") ? "images/cat.bmp" : image.getItems().isEmpty() ? null : image.getItems().get(0));
        thumb.setFitWidth(160);
        thumb.setPreserveRatio(true);
        top5.setId("preprocess-top5");
        previewNote.setId("preprocess-note");
        previewNote.setWrapText(true);
        GridPane preview = new GridPane();
        preview.setHgap(12);
        preview.add(new VBox(4, new Label("Float top-5 on"), image, thumb), 0, 0);
        preview.add(new VBox(4, top5, previewNote), 1, 0);
        box.getChildren().add(preview);
        getDialogPane().setContent(box);

        ButtonType use = new ButtonType("Use this", ButtonBar.ButtonData.OK_DONE);
        ButtonType later = new ButtonType(editing ? "Cancel" : "Keep [0, 1]", ButtonBar.ButtonData.CANCEL_CLOSE);
        getDialogPane().getButtonTypes().addAll(use, later);
        setResultConverter(b -> b == use ? answer() : null);
        group.selectedToggleProperty().addListener(o -> refresh());
        mean.textProperty().addListener(o -> refresh());
        std.textProperty().addListener(o -> refresh());
        image.valueProperty().addListener(o -> refresh());
        setOnHidden(e -> {
            if (job != null) {
                job.cancel();
            }
        });
        refresh();
    }

    private RadioButton radio(String text, String id) {
        RadioButton rb = new RadioButton(text);
        rb.setId(id);
        rb.setToggleGroup(group);
        return rb;
    }

    private int channels() {
        try {
            return Simulator.imageInput(graph).c();
        } catch (Exception e) {
            return 3;
        }
    }

    /** The chosen preprocessing, or null while the custom numbers are not valid. */
    public Preprocessing chosen() {
        if (fromFile != null && fromFile.isSelected()) {
            return conventions.preprocessing();
        }
        for (Map.Entry<PreprocessingPreset, RadioButton> e : presets.entrySet()) {
            if (e.getValue().isSelected()) {
                return e.getKey().preprocessing();
            }
        }
        try {
            return new Preprocessing(List.of(Float.parseFloat(mean.getText().trim())), List.of(Float.parseFloat(std.getText().trim())),
                    ChannelOrder.RGB, 1f);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<String> labels() {
        return useLabels != null && useLabels.isSelected() ? bundled : conventions.labels();
    }

    private ModelInput.Answer answer() {
        Preprocessing p = chosen();
        return new ModelInput.Answer(p == null ? PreprocessingPreset.UNIT.preprocessing() : p, labels());
    }

    /** Runs the float network on the picture under every choice (in the background; a newer request cancels it). */
    private void refresh() {
        if (job != null) {
            job.cancel();
        }
        String img = image.getValue();
        Preprocessing p = chosen();
        if (img == null || p == null) {
            top5.getChildren().setAll(new Label(p == null ? "mean and std must be numbers, std not 0" : "no image"));
            return;
        }
        List<String> names = labels();
        Map<PreprocessingPreset, Preprocessing> all = new EnumMap<>(PreprocessingPreset.class);
        for (PreprocessingPreset s : PreprocessingPreset.values()) {
            all.put(s, s.preprocessing());
        }
        previewNote.setText("Running the float network…");
        job = jobs.start("preprocess-preview", progress -> {
            RgbImage rgb = Simulator.readImage(img);
            List<Scored> chosenTop = FloatPreview.top(graph, rgb, p, names, 5);
            Map<PreprocessingPreset, Scored> firsts = new EnumMap<>(PreprocessingPreset.class);
            for (Map.Entry<PreprocessingPreset, Preprocessing> e : all.entrySet()) {
                progress.checkCancelled();
                List<Scored> t = FloatPreview.top(graph, rgb, e.getValue(), names, 1);
                if (!t.isEmpty()) {
                    firsts.put(e.getKey(), t.get(0));
                }
            }
            return new Preview(rgb, chosenTop, firsts);
        }, new JobListener<>() {
            @Override
            public void succeeded(Preview v) {
                thumb.setImage(Images.of(v.image()));
                List<Label> lines = new ArrayList<>();
                for (Scored s : v.top()) {
                    Label l = new Label(String.format(Locale.ROOT, "%6.4f  %s", s.score(), name(s)));
                    l.getStyleClass().add("preprocess-top");
                    lines.add(l);
                }
                top5.getChildren().setAll(lines);
                for (Map.Entry<PreprocessingPreset, RadioButton> e : presets.entrySet()) {
                    Scored s = v.firsts().get(e.getKey());
                    e.getValue().setText(e.getKey() + (s == null ? "" : String.format(Locale.ROOT, "   → %s %.2f", name(s), s.score())));
                }
                previewNote.setText("The network's raw output on this picture; a confident, sensible top-1 means the preprocessing fits.");
            }

            @Override
            public void failed(Throwable error) {
                top5.getChildren().clear();
                previewNote.setText("No preview: " + error.getMessage());
            }

            @Override
            public void cancelled() {
            }
        });
    }

    private static String name(Scored s) {
        return s.label() != null ? s.label() : "class " + s.index();
    }

    private record Preview(RgbImage image, List<Scored> top, Map<PreprocessingPreset, Scored> firsts) {
    }
}

package k210studio.converter.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import k210studio.assets.Assets;
import k210studio.converter.keras.KerasImportException;
import k210studio.converter.keras.KerasImporter;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.samples.TopDownLayout;

/**
 * The pretrained backbones bundled for transfer learning (see the assets' {@code backbones/NOTICE.md}). A
 * transfer setup is the backbone cut after its global average pooling with a new head — Dropout(0.2) and a Dense
 * softmax layer with one unit per class — trained on frozen features; optionally the last depthwise-separable
 * blocks train too (their BatchNormalization keeps its ImageNet statistics, gamma/beta learn).
 */
public final class Backbones {
    /** Keras Applications MobileNet v1 alpha 0.25 at 128×128, ImageNet weights. */
    public static final String MOBILENET_025 = "mobilenet-0.25";
    static final String MOBILENET_025_ASSET = "backbones/mobilenet_v1_0.25_128_imagenet.h5";
    /** Depthwise-separable blocks of MobileNet v1 (conv_dw_1 … conv_dw_13). */
    public static final int MOBILENET_BLOCKS = 13;

    private static Graph mobilenet;

    private Backbones() {
    }

    public static List<String> names() {
        return List.of(MOBILENET_025);
    }

    /** The pixel preprocessing Keras' MobileNet was trained with: x = pixel / 127.5 − 1. */
    public static Preprocessing mobilenetPreprocessing() {
        return new Preprocessing(List.of(1f), List.of(1f), ChannelOrder.RGB, 1f / 127.5f);
    }

    /** The bundled ImageNet network as imported (a copy; the first call reads the asset). */
    public static synchronized Graph mobilenet025() throws TrainingException {
        if (mobilenet == null) {
            try (InputStream in = Assets.open(MOBILENET_025_ASSET)) {
                mobilenet = KerasImporter.importBytes(in.readAllBytes(), "mobilenet_v1_0.25_128_imagenet.h5").graph();
            } catch (IOException | KerasImportException | IllegalArgumentException e) {
                throw new TrainingException("cannot read the bundled backbone " + MOBILENET_025_ASSET + " (broken installation): " + e.getMessage(), e);
            }
        }
        return mobilenet.copy();
    }

    /**
     * The transfer-learning setup on a backbone.
     *
     * @param name           one of {@link #names()}
     * @param classes        number of classes of the new head
     * @param fineTuneBlocks how many of the last depthwise-separable blocks train with the head (0 = frozen backbone)
     */
    public static TrainingSetup transfer(String name, int classes, int fineTuneBlocks, long seed) throws TrainingException {
        if (!MOBILENET_025.equals(name)) {
            throw new TrainingException("unknown backbone '" + name + "' (bundled: " + names() + ")");
        }
        if (classes < 2) {
            throw new TrainingException("a classifier head needs at least two classes, got " + classes);
        }
        if (fineTuneBlocks < 0 || fineTuneBlocks > MOBILENET_BLOCKS) {
            throw new TrainingException("MobileNet v1 has " + MOBILENET_BLOCKS + " blocks: fine-tune between 0 and " + MOBILENET_BLOCKS
                    + " of them, got " + fineTuneBlocks);
        }
        Graph g = mobilenet025();
        String gap = null;
        for (String id : g.topologicalOrder()) {
            if (g.layer(id).params() instanceof GlobalAveragePooling2D) {
                gap = id;
                break;
            }
        }
        if (gap == null) {
            throw new TrainingException("the bundled backbone has no GlobalAveragePooling2D to put a head on (broken installation)");
        }
        java.util.Set<String> keep = GraphCut.ancestors(g, gap);
        for (String id : g.ids()) {
            if (!keep.contains(id)) {
                g.removeLayer(id);
            }
        }
        g.replaceLayer(g.layer(gap).withParams(new GlobalAveragePooling2D(false)));
        String drop = g.add("head_dropout", new Dropout(0.2f), gap);
        int features = k210studio.ir.shape.ShapeInference.infer(g).shapes().get(gap).c();
        String dense = g.add("predictions", new Dense(classes, true, ActivationFn.SOFTMAX),
                java.util.Map.of("kernel", WeightInit.glorot(new java.util.Random(seed), features, classes, features, classes),
                        "bias", k210studio.ir.tensor.Tensor.zeros(classes)), drop);
        g.setOutputs(List.of(dense));
        g.setName("mobilenet_0.25_transfer");
        TopDownLayout.apply(g);
        String freeze = gap;
        if (fineTuneBlocks > 0) {
            int last = MOBILENET_BLOCKS - fineTuneBlocks;
            Layer l = g.layerNamed(last == 0 ? "conv1_relu" : "conv_pw_" + last + "_relu");
            if (l == null) {
                throw new TrainingException("the bundled backbone lacks the layer conv_pw_" + last + "_relu (broken installation)");
            }
            freeze = l.id();
        }
        String what = "MobileNet v1 0.25 128×128 (ImageNet), " + (fineTuneBlocks == 0 ? "frozen" : "last " + fineTuneBlocks
                + " block(s) fine-tuned") + ", new head of " + classes + " classes";
        return new TrainingSetup(g, mobilenetPreprocessing(), freeze, false, what);
    }
}

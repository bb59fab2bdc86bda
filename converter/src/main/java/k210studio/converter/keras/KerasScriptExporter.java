package k210studio.converter.keras;

import static k210studio.converter.keras.PythonLiterals.dilation;
import static k210studio.converter.keras.PythonLiterals.escapeDoc;
import static k210studio.converter.keras.PythonLiterals.pair;
import static k210studio.converter.keras.PythonLiterals.pyBool;
import static k210studio.converter.keras.PythonLiterals.pyFloat;
import static k210studio.converter.keras.PythonLiterals.pyFloatList;
import static k210studio.converter.keras.PythonLiterals.pyIdentifierish;
import static k210studio.converter.keras.PythonLiterals.pyShape;
import static k210studio.converter.keras.PythonLiterals.pyString;
import static k210studio.converter.keras.PythonLiterals.pyStringList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.layer.Activation;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.AveragePooling2D;
import k210studio.ir.layer.BatchNormalization;
import k210studio.ir.layer.Concatenate;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Conv2DTranspose;
import k210studio.ir.layer.Dense;
import k210studio.ir.layer.DepthwiseConv2D;
import k210studio.ir.layer.Dropout;
import k210studio.ir.layer.Flatten;
import k210studio.ir.layer.GlobalAveragePooling2D;
import k210studio.ir.layer.GlobalMaxPooling2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.LeakyReLU;
import k210studio.ir.layer.MaxPooling2D;
import k210studio.ir.layer.Multiply;
import k210studio.ir.layer.PReLU;
import k210studio.ir.layer.ReLU;
import k210studio.ir.layer.Reshape;
import k210studio.ir.layer.Resizing;
import k210studio.ir.layer.SeparableConv2D;
import k210studio.ir.layer.Softmax;
import k210studio.ir.layer.Subtract;
import k210studio.ir.layer.UpSampling2D;
import k210studio.ir.layer.ZeroPadding2D;
import k210studio.ir.project.Preprocessing;
import k210studio.ir.project.Project;
import k210studio.ir.shape.ShapeInference;
import k210studio.ir.shape.ShapeResult;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;

/**
 * Writes a design as a runnable TensorFlow ({@code tf.keras}) training script: the network
 * rebuilt layer for layer with the design's names (K210-friendly padding kept explicit:
 * ZeroPadding2D layers and 'valid' stay as they are), a Sequential model for a plain chain and the
 * Functional API otherwise, compiled, trained with {@code model.fit} on a folder-per-class image
 * dataset ({@code image_dataset_from_directory}) preprocessed exactly as the studio feeds the
 * model ({@code x = (pixel · scale − mean) / std}), then saved as {@code .h5} and {@code .tflite}
 * for import back into the studio.
 *
 * <p>The script starts with a machine-readable summary of the design, one comment line per layer
 * ({@code # layer | name | class | inputs | output shape | parameters}), between
 * {@value #SUMMARY_BEGIN} and {@value #SUMMARY_END}.
 */
public final class KerasScriptExporter {
    public static final String SUMMARY_BEGIN = "# K210STUDIO-LAYERS-BEGIN";
    public static final String SUMMARY_END = "# K210STUDIO-LAYERS-END";

    private final Graph g;
    private final Preprocessing pre;
    private final List<String> labels;
    private final ShapeResult shapes;
    private final Map<String, String> var = new HashMap<>();
    private final Map<String, String> kerasName = new HashMap<>();
    private final Set<String> helpers = new LinkedHashSet<>();
    /** A remark the last {@link #layerExpr} call wants written above its layer, or null. */
    private String layerComment;

    private KerasScriptExporter(Graph g, Preprocessing pre, List<String> labels, ShapeResult shapes) {
        this.g = g;
        this.pre = pre;
        this.labels = labels;
        this.shapes = shapes;
    }

    /** The training script of a project (its network, preprocessing and labels). */
    public static String export(Project project) throws KerasExportException {
        return export(project.graph(), project.settings().preprocessing(), project.settings().labels());
    }

    /**
     * The training script of a network.
     *
     * @param pre    how pixels become inputs (the same formula is used in the script's dataset pipeline)
     * @param labels class names in output order (may be empty: the dataset folder names are used)
     */
    public static String export(Graph g, Preprocessing pre, List<String> labels) throws KerasExportException {
        if (g.size() == 0) {
            throw new KerasExportException("the design is empty: add an Input and some layers first");
        }
        List<GraphException> problems = g.problems();
        if (!problems.isEmpty()) {
            throw new KerasExportException("the design is not a complete network: " + problems.get(0).getMessage());
        }
        ShapeResult shapes = ShapeInference.infer(g);
        for (String id : g.topologicalOrder()) {
            if (shapes.error(id) != null) {
                throw new KerasExportException("layer '" + g.layer(id).name() + "' (" + g.layer(id).params().kerasName()
                        + ") has no valid shape: " + shapes.error(id));
            }
        }
        return new KerasScriptExporter(g, pre == null ? Preprocessing.unit() : pre, labels == null ? List.of() : labels, shapes).write();
    }

    // ------------------------------------------------------------------ script

    private String write() throws KerasExportException {
        List<String> order = g.topologicalOrder();
        assignNames(order);
        List<String> inputs = g.inputIds();
        List<String> outputs = g.outputIds();
        boolean chain = isChain(order, inputs, outputs);
        List<String> layerLines = new ArrayList<>();
        for (String id : order) {
            Layer l = g.layer(id);
            if (l.params() instanceof Input) {
                continue;
            }
            layerLines.add(id);
        }
        StringBuilder sb = new StringBuilder();
        String modelName = pyIdentifierish(g.name());
        sb.append("#!/usr/bin/env python3\n");
        sb.append("# -*- coding: utf-8 -*-\n");
        sb.append("\"\"\"Training script for the K210 Studio design '").append(escapeDoc(g.name())).append("'.\n\n");
        sb.append("Generated by K210 Studio. It rebuilds the network layer for layer with tf.keras (same names,\n");
        sb.append("same shapes; K210-friendly padding is kept explicit as ZeroPadding2D + 'valid'), trains it on\n");
        sb.append("a folder-per-class image dataset with the studio's preprocessing, and saves\n");
        sb.append("<name>.h5 and <name>.tflite to open again in K210 Studio.\n\n");
        sb.append("Usage:\n");
        sb.append("    python3 train.py --data path/to/images [--epochs 30] [--batch-size 32] [--out ").append(modelName).append("]\n\n");
        sb.append("The data folder holds one sub-folder per class; sub-folder names sorted alphabetically\n");
        sb.append("give the class order").append(labels.isEmpty() ? "" : " (this design expects: " + escapeDoc(String.join(", ", labels)) + ")").append(".\n");
        sb.append("Needs TensorFlow 2.9 or newer.\n\"\"\"\n");
        sb.append(SUMMARY_BEGIN).append("\n");
        sb.append("# layer | name | class | inputs | output shape | parameters\n");
        for (String id : order) {
            Layer l = g.layer(id);
            List<String> ins = new ArrayList<>();
            for (String p : g.inputsOf(id)) {
                ins.add(kerasName.get(p));
            }
            sb.append("# layer | ").append(kerasName.get(id)).append(" | ").append(l.params().kerasName()).append(" | ")
                    .append(String.join(",", ins)).append(" | ").append(shapeText(shapes.shape(id))).append(" | ")
                    .append(l.params()).append("\n");
        }
        sb.append(SUMMARY_END).append("\n\n");
        sb.append("import argparse\n\n");
        sb.append("import tensorflow as tf\n");
        sb.append("from tensorflow import keras\n");
        sb.append("from tensorflow.keras import layers\n\n");
        sb.append("MODEL_NAME = ").append(pyString(modelName)).append("\n");
        sb.append("# class names in output order; they must equal the data folder's sub-folder names ([] = use the folder names)\n");
        sb.append("CLASS_NAMES = ").append(pyStringList(labels)).append("\n");
        sb.append("# The studio's preprocessing: x = (pixel * INPUT_SCALE - MEAN[c]) / STD[c], pixels 0..255 in ")
                .append(pre.channelOrder()).append(" order\n");
        sb.append("INPUT_SCALE = ").append(pyFloat(pre.inputScale())).append("\n");
        sb.append("MEAN = ").append(pyFloatList(pre.mean())).append("\n");
        sb.append("STD = ").append(pyFloatList(pre.std())).append("\n");
        sb.append("CHANNEL_ORDER = ").append(pyString(pre.channelOrder().name())).append("\n\n\n");

        StringBuilder body = new StringBuilder();
        if (chain) {
            writeSequential(body, order);
        } else {
            writeFunctional(body, order, inputs, outputs);
        }
        for (String h : helpers) {
            sb.append(h).append("\n\n");
        }
        sb.append(body);
        writeTraining(sb, inputs, outputs);
        return sb.toString();
    }

    private void writeSequential(StringBuilder sb, List<String> order) throws KerasExportException {
        sb.append("def build_model():\n");
        sb.append("    \"\"\"The design as a keras.Sequential model (it is a plain chain of layers).\"\"\"\n");
        sb.append("    model = keras.Sequential(name=MODEL_NAME)\n");
        for (String id : order) {
            Layer l = g.layer(id);
            if (l.params() instanceof Input in) {
                sb.append("    model.add(keras.Input(shape=").append(pyShape(in.shape())).append(", name=")
                        .append(pyString(kerasName.get(id))).append("))\n");
            } else {
                String expr = layerExpr(l, id);
                appendComment(sb);
                sb.append("    model.add(").append(expr).append(")  # -> ").append(shapeText(shapes.shape(id))).append("\n");
            }
        }
        sb.append("    return model\n\n\n");
    }

    private void writeFunctional(StringBuilder sb, List<String> order, List<String> inputs, List<String> outputs)
            throws KerasExportException {
        sb.append("def build_model():\n");
        sb.append("    \"\"\"The design with the Keras Functional API (it branches, merges or has several inputs/outputs).\"\"\"\n");
        for (String id : order) {
            Layer l = g.layer(id);
            if (l.params() instanceof Input in) {
                sb.append("    ").append(var.get(id)).append(" = keras.Input(shape=").append(pyShape(in.shape())).append(", name=")
                        .append(pyString(kerasName.get(id))).append(")\n");
                continue;
            }
            List<String> ins = new ArrayList<>();
            for (String p : g.inputsOf(id)) {
                ins.add(var.get(p));
            }
            String arg = l.params().maxInputs() > 1 ? "[" + String.join(", ", ins) + "]" : ins.get(0);
            String expr = layerExpr(l, id);
            appendComment(sb);
            sb.append("    ").append(var.get(id)).append(" = ").append(expr).append("(").append(arg).append(")  # -> ")
                    .append(shapeText(shapes.shape(id))).append("\n");
        }
        List<String> in = new ArrayList<>();
        inputs.forEach(i -> in.add(var.get(i)));
        List<String> out = new ArrayList<>();
        outputs.forEach(o -> out.add(var.get(o)));
        sb.append("    return keras.Model(inputs=[").append(String.join(", ", in)).append("], outputs=[")
                .append(String.join(", ", out)).append("], name=MODEL_NAME)\n\n\n");
    }

    private void writeTraining(StringBuilder sb, List<String> inputs, List<String> outputs) {
        TensorShape inShape = ((Input) g.layer(inputs.get(0)).params()).shape();
        boolean image = inputs.size() == 1 && outputs.size() == 1 && inShape.isImage() && (inShape.c() == 1 || inShape.c() == 3);
        LayerParams last = g.layer(outputs.get(0)).params();
        TensorShape outShape = shapes.shape(outputs.get(0));
        boolean softmax = endsInSoftmax(last);
        boolean sigmoid1 = outShape.rank() == 1 && outShape.c() == 1 && activationOf(last) == ActivationFn.Kind.SIGMOID;
        String loss;
        String labelMode;
        if (softmax) {
            loss = "\"categorical_crossentropy\"";
            labelMode = "categorical";
        } else if (sigmoid1) {
            loss = "\"binary_crossentropy\"";
            labelMode = "binary";
        } else {
            loss = "\"mse\"  # the design does not end in softmax/sigmoid: choose the loss that fits your targets";
            labelMode = "categorical";
        }
        sb.append("def preprocess(images, labels):\n");
        sb.append("    \"\"\"Pixels 0..255 to model inputs, exactly as K210 Studio (and the board) feed the network.\"\"\"\n");
        sb.append("    x = tf.cast(images, tf.float32)\n");
        sb.append("    if CHANNEL_ORDER == \"BGR\":\n");
        sb.append("        x = x[..., ::-1]\n");
        sb.append("    x = (x * INPUT_SCALE - tf.constant(MEAN, tf.float32)) / tf.constant(STD, tf.float32)\n");
        sb.append("    return x, labels\n\n\n");
        sb.append("def load_datasets(data_dir, batch_size):\n");
        sb.append("    \"\"\"Training and validation splits of a folder-per-class image dataset.\"\"\"\n");
        if (image) {
            sb.append("    from_directory = getattr(tf.keras.utils, \"image_dataset_from_directory\", None) or \\\n");
            sb.append("        tf.keras.preprocessing.image_dataset_from_directory\n");
            sb.append("    common = dict(validation_split=0.2, seed=1337, image_size=(").append(inShape.h()).append(", ").append(inShape.w())
                    .append("), batch_size=batch_size,\n");
            sb.append("                  label_mode=").append(pyString(labelMode)).append(", color_mode=")
                    .append(pyString(inShape.c() == 1 ? "grayscale" : "rgb")).append(",\n");
            sb.append("                  class_names=CLASS_NAMES or None)\n");
            sb.append("    train = from_directory(data_dir, subset=\"training\", **common)\n");
            sb.append("    val = from_directory(data_dir, subset=\"validation\", **common)\n");
            sb.append("    auto = tf.data.AUTOTUNE\n");
            sb.append("    return (train.map(preprocess, num_parallel_calls=auto).prefetch(auto),\n");
            sb.append("            val.map(preprocess, num_parallel_calls=auto).prefetch(auto))\n\n\n");
        } else {
            sb.append("    # This design's inputs are not a single RGB/grey image: build tf.data.Datasets of (inputs, targets) here.\n");
            sb.append("    raise SystemExit(\"load_datasets(): the input \" + repr(").append(pyShape(inShape))
                    .append(") + \" is not an image; write your own data pipeline\")\n\n\n");
        }
        sb.append("def main():\n");
        sb.append("    parser = argparse.ArgumentParser(description=\"Train \" + MODEL_NAME + \" and save .h5 and .tflite for K210 Studio\")\n");
        sb.append("    parser.add_argument(\"--data\", help=\"folder with one sub-folder of images per class\")\n");
        sb.append("    parser.add_argument(\"--epochs\", type=int, default=30)\n");
        sb.append("    parser.add_argument(\"--batch-size\", type=int, default=32)\n");
        sb.append("    parser.add_argument(\"--learning-rate\", type=float, default=1e-3)\n");
        sb.append("    parser.add_argument(\"--out\", default=MODEL_NAME, help=\"output file stem\")\n");
        sb.append("    parser.add_argument(\"--init\", help=\"start from the weights of this Keras .h5 (k210 export-keras --h5 writes the design's)\")\n");
        sb.append("    args = parser.parse_args()\n\n");
        sb.append("    model = build_model()\n");
        sb.append("    if args.init:\n");
        sb.append("        model.load_weights(args.init)  # same layer names as the design\n");
        sb.append("    model.summary()\n");
        sb.append("    model.compile(optimizer=keras.optimizers.Adam(learning_rate=args.learning_rate),\n");
        sb.append("                  loss=").append(loss).append(",\n");
        sb.append("                  metrics=[\"accuracy\"])\n\n");
        sb.append("    if args.data:\n");
        sb.append("        train, val = load_datasets(args.data, args.batch_size)\n");
        sb.append("        # Your place for augmentation, callbacks (EarlyStopping, ModelCheckpoint) or class weights\n");
        sb.append("        model.fit(train, validation_data=val, epochs=args.epochs)\n");
        sb.append("    else:\n");
        sb.append("        print(\"no --data folder given: saving the untrained network\")\n\n");
        sb.append("    model.save(args.out + \".h5\")  # open this file in K210 Studio\n");
        sb.append("    converter = tf.lite.TFLiteConverter.from_keras_model(model)\n");
        sb.append("    with open(args.out + \".tflite\", \"wb\") as f:\n");
        sb.append("        f.write(converter.convert())  # float .tflite; K210 Studio quantizes for the KPU itself\n");
        sb.append("    print(\"saved\", args.out + \".h5\", \"and\", args.out + \".tflite\")\n\n\n");
        sb.append("if __name__ == \"__main__\":\n");
        sb.append("    main()\n");
    }

    // ------------------------------------------------------------------ layers

    private String layerExpr(Layer l, String id) throws KerasExportException {
        LayerParams p = l.params();
        String name = "name=" + pyString(kerasName.get(id));
        if (p instanceof Conv2D c) {
            return "layers.Conv2D(" + c.filters() + ", " + pair(c.kernelH(), c.kernelW()) + ", strides=" + pair(c.strideH(), c.strideW())
                    + ", padding=" + pyString(c.padding().keras()) + dilation(c.dilationH(), c.dilationW()) + ", use_bias=" + pyBool(c.useBias())
                    + activationArg(c.activation()) + ", " + name + ")";
        }
        if (p instanceof DepthwiseConv2D c) {
            return "layers.DepthwiseConv2D(" + pair(c.kernelH(), c.kernelW()) + ", strides=" + pair(c.strideH(), c.strideW())
                    + ", padding=" + pyString(c.padding().keras()) + ", depth_multiplier=" + c.depthMultiplier()
                    + dilation(c.dilationH(), c.dilationW()) + ", use_bias=" + pyBool(c.useBias()) + activationArg(c.activation()) + ", " + name + ")";
        }
        if (p instanceof SeparableConv2D c) {
            return "layers.SeparableConv2D(" + c.filters() + ", " + pair(c.kernelH(), c.kernelW()) + ", strides=" + pair(c.strideH(), c.strideW())
                    + ", padding=" + pyString(c.padding().keras()) + ", depth_multiplier=" + c.depthMultiplier() + ", use_bias=" + pyBool(c.useBias())
                    + activationArg(c.activation()) + ", " + name + ")";
        }
        if (p instanceof Conv2DTranspose c) {
            return "layers.Conv2DTranspose(" + c.filters() + ", " + pair(c.kernelH(), c.kernelW()) + ", strides=" + pair(c.strideH(), c.strideW())
                    + ", padding=" + pyString(c.padding().keras()) + ", use_bias=" + pyBool(c.useBias()) + activationArg(c.activation()) + ", " + name + ")";
        }
        if (p instanceof ZeroPadding2D z) {
            return "layers.ZeroPadding2D(padding=(" + pair(z.top(), z.bottom()) + ", " + pair(z.left(), z.right()) + "), " + name + ")";
        }
        if (p instanceof BatchNormalization b) {
            boolean center = !"false".equals(l.notes().get("keras.center"));
            boolean scale = !"false".equals(l.notes().get("keras.scale"));
            return "layers.BatchNormalization(epsilon=" + pyFloat(b.epsilon()) + (center ? "" : ", center=False") + (scale ? "" : ", scale=False")
                    + ", " + name + ")";
        }
        if (p instanceof Activation a) {
            return "layers.Activation(" + activationValue(a.fn()) + ", " + name + ")";
        }
        if (p instanceof ReLU r) {
            StringBuilder s = new StringBuilder("layers.ReLU(");
            List<String> args = new ArrayList<>();
            if (r.maxValue() != null) {
                args.add("max_value=" + pyFloat(r.maxValue()));
            }
            if (r.negativeSlope() != 0f) {
                args.add("negative_slope=" + pyFloat(r.negativeSlope()));
            }
            if (r.threshold() != 0f) {
                args.add("threshold=" + pyFloat(r.threshold()));
            }
            args.add(name);
            return s.append(String.join(", ", args)).append(")").toString();
        }
        if (p instanceof LeakyReLU r) {
            return "layers.LeakyReLU(" + pyFloat(r.alpha()) + ", " + name + ")"; // positional: alpha (Keras 2) / negative_slope (Keras 3)
        }
        if (p instanceof PReLU) {
            return "layers.PReLU(shared_axes=" + preluSharedAxes(l, id) + ", " + name + ")";
        }
        if (p instanceof MaxPooling2D m) {
            return "layers.MaxPooling2D(pool_size=" + pair(m.poolH(), m.poolW()) + ", strides=" + pair(m.strideH(), m.strideW())
                    + ", padding=" + pyString(m.padding().keras()) + ", " + name + ")";
        }
        if (p instanceof AveragePooling2D m) {
            return "layers.AveragePooling2D(pool_size=" + pair(m.poolH(), m.poolW()) + ", strides=" + pair(m.strideH(), m.strideW())
                    + ", padding=" + pyString(m.padding().keras()) + ", " + name + ")";
        }
        if (p instanceof GlobalAveragePooling2D gp) {
            return "layers.GlobalAveragePooling2D(" + (gp.keepDims() ? "keepdims=True, " : "") + name + ")";
        }
        if (p instanceof GlobalMaxPooling2D gp) {
            return "layers.GlobalMaxPooling2D(" + (gp.keepDims() ? "keepdims=True, " : "") + name + ")";
        }
        if (p instanceof Dense d) {
            return "layers.Dense(" + d.units() + ", use_bias=" + pyBool(d.useBias()) + activationArg(d.activation()) + ", " + name + ")";
        }
        if (p instanceof Flatten) {
            return "layers.Flatten(" + name + ")";
        }
        if (p instanceof Reshape r) {
            if (r.dynamic()) {
                throw new KerasExportException("layer '" + l.name() + "' is a run-time (dynamic) Reshape; give it a fixed target shape first");
            }
            return "layers.Reshape(" + pyShape(r.targetShape()) + ", " + name + ")";
        }
        if (p instanceof Dropout d) {
            return "layers.Dropout(" + pyFloat(d.rate()) + ", " + name + ")";
        }
        if (p instanceof Add) {
            return "layers.Add(" + name + ")";
        }
        if (p instanceof Subtract) {
            return "layers.Subtract(" + name + ")";
        }
        if (p instanceof Multiply) {
            return "layers.Multiply(" + name + ")";
        }
        if (p instanceof Concatenate c) {
            return "layers.Concatenate(axis=" + c.axis() + ", " + name + ")";
        }
        if (p instanceof UpSampling2D u) {
            return "layers.UpSampling2D(size=" + pair(u.sizeH(), u.sizeW()) + ", interpolation="
                    + pyString(u.interpolation().name().toLowerCase(Locale.ROOT)) + ", " + name + ")";
        }
        if (p instanceof Softmax s) {
            return "layers.Softmax(axis=" + s.axis() + ", " + name + ")";
        }
        if (p instanceof Resizing r) {
            if (r.alignCorners() || !r.halfPixelCenters()) {
                layerComment = "NOTE: keras Resizing samples with half-pixel centres; the design's resize (align_corners="
                        + pyBool(r.alignCorners()) + ", half_pixel_centers=" + pyBool(r.halfPixelCenters()) + ") differs slightly";
            }
            return "layers.Resizing(" + r.height() + ", " + r.width() + ", interpolation="
                    + pyString(r.interpolation().name().toLowerCase(Locale.ROOT)) + ", " + name + ")";
        }
        throw new KerasExportException("layer '" + l.name() + "' (" + p.kerasName() + ") has no Keras training form in this exporter yet");
    }

    private void appendComment(StringBuilder sb) {
        if (layerComment != null) {
            sb.append("    # ").append(layerComment).append("\n");
            layerComment = null;
        }
    }

    private String preluSharedAxes(Layer l, String id) {
        Tensor alpha = l.weight("alpha");
        String noted = l.notes().get("keras.shared_axes");
        if (noted != null && noted.matches("\\[[0-9, ]*\\]")) {
            return noted.replace(" ", "").replace(",", ", ");
        }
        TensorShape in = shapes.shape(g.inputsOf(id).get(0));
        List<String> axes = new ArrayList<>();
        if (alpha != null && alpha.rank() == in.rank()) {
            for (int i = 0; i < alpha.rank(); i++) {
                if (alpha.dim(i) == 1 && in.dim(i) != 1) {
                    axes.add(Integer.toString(i + 1));
                }
            }
        } else if (in.isImage()) {
            axes.add("1");
            axes.add("2");
        }
        return "[" + String.join(", ", axes) + "]";
    }

    private String activationArg(ActivationFn fn) {
        return fn.isLinear() ? "" : ", activation=" + activationValue(fn);
    }

    /** A Keras activation argument that tf.keras 2.x and Keras 3 both accept. */
    private String activationValue(ActivationFn fn) {
        switch (fn.kind()) {
            case LINEAR: return "\"linear\"";
            case RELU: return "\"relu\"";
            case RELU6: return "tf.nn.relu6";
            case SIGMOID: return "\"sigmoid\"";
            case HARD_SIGMOID: return "\"hard_sigmoid\"";
            case TANH: return "\"tanh\"";
            case SOFTMAX: return "\"softmax\"";
            case SWISH: return "\"swish\"";
            case HARD_SWISH:
                helpers.add("def hard_swish(x):\n    \"\"\"x * relu6(x + 3) / 6 (MobileNetV3's hard-swish).\"\"\"\n    return x * tf.nn.relu6(x + 3.0) / 6.0");
                return "hard_swish";
            case LEAKY_RELU: {
                String fnName = "leaky_relu_" + pyFloat(fn.alpha()).replace('.', '_').replace('-', 'm');
                helpers.add("def " + fnName + "(x):\n    \"\"\"Leaky ReLU with slope " + pyFloat(fn.alpha()) + " below zero.\"\"\"\n    return tf.nn.leaky_relu(x, alpha="
                        + pyFloat(fn.alpha()) + ")");
                return fnName;
            }
            default: return "\"" + fn.kind().keras() + "\"";
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assignNames(List<String> order) {
        Set<String> usedNames = new HashSet<>();
        Set<String> usedVars = new HashSet<>(List.of("model", "tf", "keras", "layers", "args", "parser"));
        for (String id : order) {
            String base = KerasNames.safe(g.layer(id).name());
            String n = KerasNames.unique(base.isEmpty() ? "layer" : base, usedNames);
            kerasName.put(id, n);
            var.put(id, KerasNames.unique("x_" + n.replaceAll("[^A-Za-z0-9_]", "_"), usedVars));
        }
    }

    private boolean isChain(List<String> order, List<String> inputs, List<String> outputs) {
        if (inputs.size() != 1 || outputs.size() != 1) {
            return false;
        }
        String prev = null;
        for (String id : order) {
            List<String> ins = g.inputsOf(id);
            if (prev == null) {
                if (!ins.isEmpty()) {
                    return false;
                }
            } else if (ins.size() != 1 || !ins.get(0).equals(prev) || g.consumersOf(prev).size() != 1) {
                return false;
            }
            prev = id;
        }
        return prev != null && prev.equals(outputs.get(0));
    }

    private static boolean endsInSoftmax(LayerParams p) {
        return p instanceof Softmax || activationOf(p) == ActivationFn.Kind.SOFTMAX;
    }

    private static ActivationFn.Kind activationOf(LayerParams p) {
        if (p instanceof Activation a) {
            return a.fn().kind();
        }
        if (p instanceof Dense d) {
            return d.activation().kind();
        }
        if (p instanceof Conv2D c) {
            return c.activation().kind();
        }
        return null;
    }

    static String shapeText(TensorShape s) {
        List<String> parts = new ArrayList<>();
        for (int d : s.dims()) {
            parts.add(Integer.toString(d));
        }
        return String.join("x", parts);
    }
}

package k210studio.converter.tflite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.tflite.metadata.AppendedZip;
import k210studio.converter.tflite.metadata.MetadataReader;
import k210studio.converter.tflite.metadata.TfliteMetadata;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;

/**
 * What a TFLite file says about feeding its image input and naming its classes. The input preprocessing is, in
 * this order: a quantized (uint8/int8) input's own parameters — the model takes raw pixels and the quantization is
 * the normalization, as TFLite's image task library feeds it; otherwise the input's {@code NormalizationOptions} in
 * the {@code TFLITE_METADATA} flatbuffer; otherwise unknown. The labels are the first output's
 * {@code TENSOR_AXIS_LABELS} file (or the model's) from the ZIP archive appended to the model.
 */
public final class TfliteConventions {
    public static final String METADATA = "TFLITE_METADATA";

    private TfliteConventions() {
    }

    public static ModelConventions of(TfliteModelFile f, List<TensorInfo> inputs, List<TensorInfo> outputs) {
        List<String> notes = new ArrayList<>();
        TfliteMetadata meta = null;
        ByteBuffer mb = f.metadataBuffer(METADATA);
        if (mb != null) {
            try {
                meta = MetadataReader.read(mb);
            } catch (TfliteFormatException e) {
                notes.add("the model's " + METADATA + " could not be read (" + e.getMessage() + "); its preprocessing and labels are unknown");
            }
        }
        int classes = outputs.isEmpty() ? 0 : classCount(outputs.get(0).shape());
        Preprocessing pre = null;
        String preSource = null;
        if (inputs.size() == 1) {
            TensorInfo in = inputs.get(0);
            int[] s = in.shape();
            int channels = s.length == 0 ? 1 : s[s.length - 1];
            if (in.quantized() && in.dtype().isQuantized8() && in.scale() > 0) {
                float mean = (in.dtype() == TensorType.INT8 ? 128 : 0) + in.zeroPoint();
                pre = new Preprocessing(List.of(mean), List.of(1f / in.scale()), ChannelOrder.RGB, 1f);
                preSource = String.format(Locale.ROOT, "the %s input's quantization (scale %s, zero point %d): the model takes raw pixels%s",
                        in.dtype().toString().toLowerCase(Locale.ROOT), in.scale(), in.zeroPoint(),
                        in.dtype() == TensorType.INT8 ? " − 128" : "");
            } else if (meta != null && !meta.inputs().isEmpty() && meta.inputs().get(0).hasNormalization()) {
                TfliteMetadata.TensorMetadata tm = meta.inputs().get(0);
                List<Float> mean = floats(tm.mean());
                List<Float> std = floats(tm.std());
                Preprocessing p = new Preprocessing(mean, std, ChannelOrder.RGB, 1f);
                String mismatch = p.mismatch(channels);
                if (mismatch != null) {
                    notes.add("the metadata's NormalizationOptions do not fit the input (" + mismatch + "); ignored");
                } else if (std.stream().anyMatch(v -> v == 0f || !Float.isFinite(v))) {
                    notes.add("the metadata's NormalizationOptions have a zero std; ignored");
                } else {
                    pre = p;
                    preSource = "TFLite metadata (NormalizationOptions mean " + list(mean) + ", std " + list(std) + ")";
                }
            }
        }
        List<String> labels = List.of();
        String labelsSource = null;
        TfliteMetadata.AssociatedFile lf = meta == null ? null : labelFile(meta);
        if (lf != null) {
            try {
                Map<String, byte[]> files = AppendedZip.entries(f.fileBytes());
                byte[] b = files.get(lf.name());
                if (b == null) {
                    notes.add("the metadata names the label file " + lf.name() + " but the model does not contain it");
                } else {
                    labels = ModelConventions.labelLines(new String(b, StandardCharsets.UTF_8));
                    labelsSource = lf.name() + " in the model's associated files (TFLite metadata)";
                    if (classes > 0 && labels.size() != classes) {
                        notes.add("the label file " + lf.name() + " has " + labels.size() + " lines for " + classes + " classes");
                    }
                }
            } catch (TfliteFormatException e) {
                notes.add(e.getMessage() + "; the labels were not read");
            }
        }
        return new ModelConventions(pre, preSource, labels, labelsSource, classes, notes);
    }

    private static TfliteMetadata.AssociatedFile labelFile(TfliteMetadata m) {
        if (!m.outputs().isEmpty()) {
            TfliteMetadata.AssociatedFile f = m.outputs().get(0).file(TfliteMetadata.FileType.TENSOR_AXIS_LABELS);
            if (f != null) {
                return f;
            }
        }
        return m.files().stream().filter(f -> f.type() == TfliteMetadata.FileType.TENSOR_AXIS_LABELS).findFirst().orElse(null);
    }

    /** N for an output of shape [N] or [1, N] (a class vector), else 0. */
    static int classCount(int[] shape) {
        if (shape.length == 1) {
            return shape[0];
        }
        if (shape.length == 2 && shape[0] == 1) {
            return shape[1];
        }
        return 0;
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    private static String list(List<Float> v) {
        if (v.size() == 1) {
            return trim(v.get(0));
        }
        return Arrays.toString(v.stream().map(TfliteConventions::trim).toArray());
    }

    private static String trim(float f) {
        return f == Math.rint(f) ? Integer.toString((int) f) : Float.toString(f);
    }
}

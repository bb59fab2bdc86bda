package k210studio.converter.tflite.metadata;

import java.util.List;

/**
 * What a TFLite file's {@code TFLITE_METADATA} flatbuffer (TFLite Support's {@code metadata_schema.fbs},
 * identifier "M001") says about using the model: per input and output tensor its normalization (mean/std in
 * the units the caller feeds, per channel or one for all), colour space, value statistics and associated
 * files (label files, whose bytes are in the ZIP archive appended to the model).
 */
public record TfliteMetadata(String name, String description, List<TensorMetadata> inputs, List<TensorMetadata> outputs,
                             List<AssociatedFile> files) {

    public TfliteMetadata {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        files = List.copyOf(files);
    }

    /** One tensor's metadata; {@code mean}/{@code std} are empty when it declares no NormalizationOptions. */
    public record TensorMetadata(String name, String description, float[] mean, float[] std, ColorSpace colorSpace,
                                 float[] statsMin, float[] statsMax, List<AssociatedFile> files) {
        public TensorMetadata {
            mean = mean.clone();
            std = std.clone();
            statsMin = statsMin.clone();
            statsMax = statsMax.clone();
            files = List.copyOf(files);
        }

        @Override
        public float[] mean() {
            return mean.clone();
        }

        @Override
        public float[] std() {
            return std.clone();
        }

        public boolean hasNormalization() {
            return mean.length > 0 && std.length > 0;
        }

        /** The first associated file of a type, or null. */
        public AssociatedFile file(FileType type) {
            return files.stream().filter(f -> f.type() == type).findFirst().orElse(null);
        }
    }

    /** A file the metadata names (packed into the model's ZIP appendix under that name). */
    public record AssociatedFile(String name, String description, FileType type, String locale) {
    }

    /** {@code AssociatedFileType}. */
    public enum FileType {
        UNKNOWN, DESCRIPTIONS, TENSOR_AXIS_LABELS, TENSOR_VALUE_LABELS, TENSOR_AXIS_SCORE_CALIBRATION, VOCABULARY, SCANN_INDEX_FILE;

        static FileType of(int code) {
            return code >= 0 && code < values().length ? values()[code] : UNKNOWN;
        }
    }

    /** {@code ColorSpaceType} of an image tensor; UNKNOWN also for tensors that are not images. */
    public enum ColorSpace {
        UNKNOWN, RGB, GRAYSCALE;

        static ColorSpace of(int code) {
            return code >= 0 && code < values().length ? values()[code] : UNKNOWN;
        }
    }
}

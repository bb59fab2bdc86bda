package k210studio.converter.tflite;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import k210studio.converter.importing.ModelConventions;
import k210studio.converter.importing.PreprocessingPreset;
import k210studio.ir.project.ChannelOrder;
import k210studio.ir.project.Preprocessing;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * What an imported TFLite file says about its preprocessing and labels: the Coral uint8 MobileNet (a quantized input
 * and a label file in the ZIP appended to the model), TinyMaix's float MobileNet (no metadata: the studio must ask),
 * and small models written here with a TFLITE_METADATA flatbuffer (NormalizationOptions, a deflated label file).
 */
class TfliteConventionsTest {

    @Test
    void coralUint8MobilenetTakesRawPixelsThroughItsQuantizationAndCarriesItsImagenetLabels() throws Exception {
        ImportedModel m = TfliteImporter.importFile(SharedFixtures.fixture("tflite/coral_mobilenet_v1_0.25_128_quant_uint8.tflite"));
        ModelConventions c = m.conventions();
        assertThat(c.classes()).isEqualTo(1001);
        assertThat(c.preprocessingSource()).contains("uint8 input's quantization").contains("zero point 128");
        // scale 1/128, zero point 128: x = (pixel − 128) / 128
        assertThat(PreprocessingPreset.equivalent(c.preprocessing(), new Preprocessing(java.util.List.of(128f), java.util.List.of(128f),
                ChannelOrder.RGB, 1f), 3)).isTrue();
        assertThat(c.labels()).hasSize(1001);
        assertThat(c.labels().get(0)).isEqualTo("background");
        assertThat(c.labels().get(283)).isEqualTo("tiger cat");
        assertThat(c.labelsSource()).startsWith("imagenet_labels.txt");
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void tinymaixFloatMobilenetSaysNothingSoThePreprocessingIsUnknown() throws Exception {
        ModelConventions c = TfliteImporter.importFile(SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite")).conventions();
        assertThat(c.knowsPreprocessing()).isFalse();
        assertThat(c.labels()).isEmpty();
        assertThat(c.classes()).isEqualTo(1000);
        assertThat(c.imagenetSized()).isTrue();
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void floatInputNormalizationOptionsAndADeflatedLabelFileAreRead() throws Exception {
        byte[] model = withZip(softmaxModel(metadata(new float[] {127.5f}, new float[] {127.5f}, "labels.txt")), "labels.txt", "cat\ndog\nbird\n");
        ModelConventions c = TfliteImporter.importBytes(model, "m").conventions();
        assertThat(c.preprocessingSource()).isEqualTo("TFLite metadata (NormalizationOptions mean 127.5, std 127.5)");
        assertThat(PreprocessingPreset.matching(c.preprocessing(), 3)).isEqualTo(PreprocessingPreset.SYMMETRIC);
        assertThat(c.labels()).containsExactly("cat", "dog", "bird");
        assertThat(c.labelsSource()).startsWith("labels.txt");
        assertThat(c.classes()).isEqualTo(3);
    }

    @Test
    void normalizationThatDoesNotFitTheInputAndAMissingLabelFileAreNotesNotFailures() throws Exception {
        ImportedModel m = TfliteImporter.importBytes(softmaxModel(metadata(new float[] {1, 2}, new float[] {1, 2}, "gone.txt")), "m");
        ModelConventions c = m.conventions();
        assertThat(c.knowsPreprocessing()).isFalse();
        assertThat(c.notes()).anySatisfy(n -> assertThat(n).contains("NormalizationOptions do not fit the input"))
                .anySatisfy(n -> assertThat(n).contains("gone.txt"));
        assertThat(m.diagnostics("metadata")).hasSize(2);
        assertThat(m.hasErrors()).isFalse();
    }

    @Test
    void aDamagedMetadataFlatbufferLeavesTheModelImportable() throws Exception {
        ImportedModel m = TfliteImporter.importBytes(softmaxModel("not metadata".getBytes(StandardCharsets.US_ASCII)), "m");
        assertThat(m.conventions().knowsPreprocessing()).isFalse();
        assertThat(m.conventions().notes()).singleElement().asString().contains("TFLITE_METADATA could not be read");
        assertThat(m.graph().size()).isEqualTo(2);
    }

    /** A [1, 3] float input → SOFTMAX → [1, 3] model with the given TFLITE_METADATA bytes. */
    private static byte[] softmaxModel(byte[] metadata) {
        TfliteModelBuilder b = new TfliteModelBuilder().metadata("TFLITE_METADATA", metadata);
        int in = b.activation("input", 1, 3);
        int out = b.activation("probs", 1, 3);
        b.op(BuiltinOperator.SOFTMAX, new int[] {in}, new int[] {out}, 9, TfliteModelBuilder.options(0, "float", 1f));
        return b.build(new int[] {in}, new int[] {out});
    }

    /** ModelMetadata with one subgraph: the input's NormalizationOptions (RGB image) and the output's label file. */
    static byte[] metadata(float[] mean, float[] std, String labelFile) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        int meanV = floats(b, mean);
        int stdV = floats(b, std);
        b.startTable(2);
        b.addOffset(0, meanV, 0);
        b.addOffset(1, stdV, 0);
        int norm = b.endTable();
        b.startTable(2);
        b.addByte(0, (byte) 1, 0);
        b.addOffset(1, norm, 0);
        int unit = b.endTable();
        int units = vector(b, unit);
        b.startTable(2);
        b.addByte(0, (byte) 1, 0);
        int image = b.endTable();
        b.startTable(3);
        b.addByte(0, (byte) 2, 0);
        b.addOffset(1, image, 0);
        int content = b.endTable();
        int inName = b.createString("image");
        b.startTable(7);
        b.addOffset(0, inName, 0);
        b.addOffset(3, content, 0);
        b.addOffset(4, units, 0);
        int input = b.endTable();
        int fileName = b.createString(labelFile);
        b.startTable(4);
        b.addOffset(0, fileName, 0);
        b.addByte(2, (byte) 2, 0);
        int file = b.endTable();
        int files = vector(b, file);
        int outName = b.createString("probability");
        b.startTable(7);
        b.addOffset(0, outName, 0);
        b.addOffset(6, files, 0);
        int output = b.endTable();
        int ins = vector(b, input);
        int outs = vector(b, output);
        b.startTable(5);
        b.addOffset(2, ins, 0);
        b.addOffset(3, outs, 0);
        int sg = b.endTable();
        int sgs = vector(b, sg);
        int name = b.createString("test classifier");
        b.startTable(8);
        b.addOffset(0, name, 0);
        b.addOffset(3, sgs, 0);
        int root = b.endTable();
        b.finish(root, "M001");
        return b.sizedByteArray();
    }

    private static int floats(FlatBufferBuilder b, float[] v) {
        b.startVector(4, v.length, 4);
        for (int i = v.length - 1; i >= 0; i--) {
            b.addFloat(v[i]);
        }
        return b.endVector();
    }

    private static int vector(FlatBufferBuilder b, int... offsets) {
        b.startVector(4, offsets.length, 4);
        for (int i = offsets.length - 1; i >= 0; i--) {
            b.addOffset(offsets[i]);
        }
        return b.endVector();
    }

    /** The model with a ZIP archive (one deflated entry) appended, as TFLite Support's metadata populator does. */
    static byte[] withZip(byte[] model, String entry, String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(text.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        byte[] zip = out.toByteArray();
        byte[] all = new byte[model.length + zip.length];
        System.arraycopy(model, 0, all, 0, model.length);
        System.arraycopy(zip, 0, all, model.length, zip.length);
        return all;
    }
}

package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Reading and writing the real nncase/MaixPy V3 files. */
class V3ReaderWriterTest {

    static List<String> fixtures() {
        return V3Fixtures.ALL;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readThenWriteReproducesTheFileByteForByte(String name) {
        byte[] file = V3Fixtures.bytes(name);
        V3Model m = V3Fixtures.model(name);
        byte[] again = V3Writer.write(m);
        assertThat(again.length).isEqualTo(file.length);
        assertThat(Arrays.equals(again, file)).as(name + " round trip").isTrue();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fullyPaddedFileEndsAtTheDeclaredEndAndReadsBackEqual(String name) throws Exception {
        V3Model m = V3Fixtures.model(name);
        byte[] padded = V3Writer.writeFullyPadded(m);
        assertThat(padded.length).isEqualTo(V3Fixtures.bytes(name).length + m.missingTrailingBytes());
        assertThat(padded.length % 8).isZero();
        V3Model back = V3Reader.read(padded);
        assertThat(back.missingTrailingBytes()).isZero();
        assertThat(back.layers()).isEqualTo(m.layers());
    }

    @Test
    void nncaseFilesLackTheirLastFourPaddingBytes() {
        assertThat(V3Fixtures.model("iris_fc_nncase_rc5.kmodel").missingTrailingBytes()).isEqualTo(4);
        assertThat(V3Fixtures.model("yolo20_voc_nncase_rc5.kmodel").missingTrailingBytes()).isEqualTo(4);
        assertThat(V3Fixtures.model("mnist_maixpy.kmodel").missingTrailingBytes()).isZero();
    }

    @Test
    void layerSequencesMatchTheProvenanceNotes() {
        assertThat(types("iris_fc_nncase_rc5.kmodel")).containsExactly("FULLY_CONNECTED", "FULLY_CONNECTED");
        assertThat(types("mnist_maixpy.kmodel")).containsExactly("K210_CONV", "K210_CONV", "DEQUANTIZE",
                "TENSORFLOW_FLATTEN", "FULLY_CONNECTED", "QUANTIZE", "K210_ADD_PADDING", "K210_CONV",
                "K210_REMOVE_PADDING", "DEQUANTIZE", "SOFTMAX");
        List<String> face = types("face_detect_yolov2_320x240.kmodel");
        assertThat(face).hasSize(24);
        assertThat(face.subList(0, 23)).containsOnly("K210_CONV");
        assertThat(face.get(23)).isEqualTo("DEQUANTIZE");
        List<String> yolo = types("yolo20_voc_nncase_rc5.kmodel");
        assertThat(yolo).hasSize(17).endsWith("CHANNELWISE_DEQUANTIZE");
        List<String> mb = types("mobilenet_v1_0.75_1000cls.kmodel");
        assertThat(mb).hasSize(35).endsWith("DEQUANTIZE", "GLOBAL_AVERAGE_POOL2D", "QUANTIZE", "K210_ADD_PADDING",
                "K210_CONV", "K210_REMOVE_PADDING", "DEQUANTIZE", "SOFTMAX");
    }

    @Test
    void mnistFieldsAsDumpedInTheSpec() {
        V3Model m = V3Fixtures.model("mnist_maixpy.kmodel");
        assertThat(m.mainMemUsage()).isEqualTo(14112);
        assertThat(m.maxStartAddress()).isEqualTo(32628);
        assertThat(m.outputTable()).containsExactly(new V3Output(14032, 40));
        K210ConvBody c0 = (K210ConvBody) m.layer(0).body();
        assertThat(c0.layerArgument()[1]).isEqualTo(0x00007fac00007fe4L);
        assertThat(c0.inputLine()).isEqualTo(32740);
        assertThat(c0.outputLine()).isEqualTo(32684);
        assertThat(c0.argX()).isEqualTo(-3932160);
        assertThat(c0.shrX()).isEqualTo(15);
        assertThat(c0.weights()).hasSize(144);
        assertThat(m.layer(0).bodySize()).isEqualTo(788);
        FullyConnectedBody fc = (FullyConnectedBody) m.layer(4).body();
        assertThat(fc.inChannels()).isEqualTo(1568);
        assertThat(fc.outChannels()).isEqualTo(32);
        assertThat(fc.activation()).isEqualTo(1);
        DequantizeBody dq = (DequantizeBody) m.layer(9).body();
        assertThat(dq.bias()).isEqualTo(-6.1687789f);
        assertThat(m.inputs().get(0).shape()).containsExactly(1, 28, 28);
        assertThat(m.outputs().get(0).shape()).containsExactly(10);
    }

    @Test
    void outputShapesAreInferredFromTheLayers() {
        Kmodel face = V3Fixtures.model("face_detect_yolov2_320x240.kmodel");
        assertThat(face.outputs().get(0).shape()).containsExactly(30, 15, 20);
        Kmodel yolo = V3Fixtures.model("yolo20_voc_nncase_rc5.kmodel");
        assertThat(yolo.outputs().get(0).shape()).containsExactly(125, 7, 10);
        assertThat(yolo.inputs().get(0).shape()).containsExactly(3, 240, 320);
        assertThat(V3Fixtures.model("mobilenet_v1_0.75_1000cls.kmodel").outputs().get(0).shape()).containsExactly(1000);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void kmodelFilesDetectsVersion3AndDispatchesToTheV3Reader(String name) throws Exception {
        byte[] b = V3Fixtures.bytes(name);
        assertThat(KmodelFiles.detectVersion(b)).isEqualTo(3);
        assertThat(KmodelFiles.read(b)).isInstanceOf(V3Model.class);
    }

    @Test
    void writerRefusesFieldsThatDoNotFitU32() {
        V3Model iris = V3Fixtures.model("iris_fc_nncase_rc5.kmodel");
        V3Model bad = new V3Model(iris.flags(), iris.maxStartAddress(), iris.mainMemUsage(), iris.outputTable(),
                List.of(V3Layer.of(new SoftmaxBody(0, 0, 1L << 32, 3))), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> V3Writer.write(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 0 (SOFTMAX) out");
    }

    private static List<String> types(String name) {
        V3Model m = V3Fixtures.model(name);
        return m.layers().stream().map(l -> l.type().name()).toList();
    }
}

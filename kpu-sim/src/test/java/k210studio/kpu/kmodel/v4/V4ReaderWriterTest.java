package k210studio.kpu.kmodel.v4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.V4Opcode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/** Reads every real V4 file to its last byte and writes it back byte for byte (kmodel-v4.md §3, §11). */
class V4ReaderWriterTest {
    static final java.util.List<String> FILES = V4Fixtures.ALL;

    @ParameterizedTest
    @FieldSource("FILES")
    void everyFixtureParsesToTheLastByteAndRewritesIdentically(String name) throws Exception {
        byte[] bytes = V4Fixtures.bytes(name);
        V4Model m = V4Reader.read(bytes);
        // every body decodes to its body_size minus 0..7 zero pad bytes (nnil programs take the rest)
        for (V4Node n : m.nodes()) {
            byte[] tail = n.tail();
            assertThat(tail.length).as("pad after %s", n).isBetween(0, 7);
            for (byte b : tail) {
                assertThat(b).isZero();
            }
        }
        assertThat(V4Writer.write(m)).isEqualTo(bytes);
    }

    @Test
    void yoloHeaderTablesAndOpcodeHistogramMatchTheSpecDump() throws Exception {
        V4Model m = V4Reader.read(V4Fixtures.bytes(V4Fixtures.YOLO));
        assertThat(m.header().reserved0()).isEqualTo(0x1F9); // uninitialised, ignored, kept for round trip
        assertThat(m.header().mainMemSize()).isEqualTo(322560);
        assertThat(m.inputs().get(0).memoryType()).isEqualTo(MemoryType.KPU);
        assertThat(m.inputs().get(0).start()).isEqualTo(0x1C7C00);
        assertThat(m.inputShapes().get(0).toArray()).containsExactly(1, 3, 240, 320);
        assertThat(m.outputs().get(0).dataType()).isEqualTo(DataType.FLOAT32);
        assertThat(m.outputs().get(0).size()).isEqualTo(35000);
        Map<String, Integer> hist = new TreeMap<>();
        m.nodes().forEach(n -> hist.merge(n.opcode().spelling(), 1, Integer::sum));
        assertThat(hist).containsExactlyEntriesOf(new TreeMap<>(Map.of("dequantize", 2, "kpu_conv2d", 16,
                "kpu_upload", 1, "quantize", 1, "reduce_window2d", 1)));
        // alpha-era alignment: BN table only 8-aligned (gap 0), activation/weights 256-aligned
        KpuConv2dBody first = (KpuConv2dBody) m.nodes().get(0).body();
        assertThat(first.gapBn()).isZero();
        assertThat(first.outputChannels()).isEqualTo(16);
        assertThat(first.weights().length()).isEqualTo(432);
        KpuConv2dBody n10 = (KpuConv2dBody) m.nodes().get(10).body();
        assertThat(n10.weights().length()).isEqualTo(131072);
        assertThat(n10.mainMemOutput().size()).isEqualTo(35840);
    }

    @Test
    void ultraFaceHasTheDilatedQuantizedConvs() throws Exception {
        V4Model m = V4Reader.read(V4Fixtures.bytes(V4Fixtures.ULTRA_FACE));
        assertThat(m.header().reserved0()).isEqualTo(0xCCCCCCCCL);
        QuantizedConv2dBody q = (QuantizedConv2dBody) m.nodes().get(15).body();
        assertThat(q.opcode()).isEqualTo(V4Opcode.QUANTIZED_CONV2D);
        assertThat(q.dilationH()).isEqualTo(2);
        assertThat(q.filterOffset()).isEqualTo(-116);
        assertThat(q.outputMul()).isEqualTo(1806972800);
        assertThat(q.outputShift()).isEqualTo(39);
        assertThat(q.outputOffset()).isEqualTo(126);
        assertThat(q.bias().length()).isEqualTo(16);
        assertThat(q.weights().length()).isEqualTo(2304);
    }

    @Test
    void missingFinalPaddingIsAcceptedAndReproduced() throws Exception {
        // iris ends exactly; cut its last body's pad-free data short by appending nothing but
        // rebuilding with a larger last body_size (as if up to 7 pad bytes were not written)
        byte[] bytes = V4Fixtures.bytes(V4Fixtures.IRIS);
        V4Model m = V4Reader.read(bytes);
        int last = m.nodes().size() - 1;
        int headerAt = 40 + 32 * m.inputs().size() + 16 * m.outputs().size() + m.constants().length + 8 * last + 4;
        byte[] longer = bytes.clone();
        long size = m.nodes().get(last).bodySize() + 4;
        longer[headerAt] = (byte) size;
        longer[headerAt + 1] = (byte) (size >> 8);
        V4Model m2 = V4Reader.read(longer);
        assertThat(m2.nodes().get(last).bodySize()).isEqualTo(size);
        assertThat(V4Writer.write(m2)).isEqualTo(longer);
        // 8 or more missing bytes are not padding any more
        longer[headerAt] = (byte) (size + 4);
        assertThatThrownBy(() -> V4Reader.read(longer)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("body_size").hasMessageContaining("past the end of the file");
    }

    @Test
    void newNodesAreLaidOutLikeNccBeta4() throws Exception {
        // rebuilding the landmark model from fresh nodes (no stored pads) reproduces ncc's bytes:
        // 256-aligned kpu_conv2d tables, 8-byte body padding, no final pad written
        byte[] bytes = V4Fixtures.bytes(V4Fixtures.LANDMARK);
        V4Model m = V4Reader.read(bytes);
        var fresh = m.nodes().stream().map(n -> V4Node.of(n.body())).toList();
        V4Model rebuilt = new V4Model(m.header(), m.inputs(), m.inputShapes(), m.outputs(), m.constants(), fresh);
        assertThat(V4Writer.write(rebuilt)).isEqualTo(bytes);
    }

    @Test
    void theAlphaEraYoloRewrittenWithBetaAlignmentRunsIdentically() throws Exception {
        // yolo's BN tables are only 8-aligned (ncc alpha2); fresh nodes get ncc beta's 256-byte alignment
        byte[] original = V4Fixtures.bytes(V4Fixtures.YOLO);
        V4Model m = V4Reader.read(original);
        var fresh = m.nodes().stream().map(n -> V4Node.of(n.body())).toList();
        byte[] realigned = V4Writer.write(new V4Model(m.header(), m.inputs(), m.inputShapes(), m.outputs(),
                m.constants(), fresh));
        assertThat(realigned).isNotEqualTo(original);
        V4Model back = V4Reader.read(realigned);
        long[] offsets = back.bodyOffsets();
        for (int i = 0; i < back.nodes().size(); i++) {
            if (back.nodes().get(i).body() instanceof KpuConv2dBody k) {
                long bn = offsets[i] + KpuConv2dBody.FIXED_BYTES + k.gapBn();
                long act = bn + 8L * k.outputChannels() + k.gapActivation();
                long w = act + KpuConv2dBody.ACTIVATION_TABLE_BYTES + k.gapWeights();
                assertThat(new long[] {bn % 256, act % 256, w % 256}).as("node %d", i).containsOnly(0L);
            }
        }
        byte[] img = new byte[3 * 240 * 320];
        new java.util.Random(7).nextBytes(img);
        var input = k210studio.kpu.kmodel.KmodelTensor.ofUint8(new int[] {1, 3, 240, 320}, img);
        var a = new V4Kmodel(m).run(input, k210studio.kpu.kmodel.RunOptions.defaults());
        var b = new V4Kmodel(back).run(input, k210studio.kpu.kmodel.RunOptions.defaults());
        assertThat(b.output(0).bytes()).isEqualTo(a.output(0).bytes());
    }

    @Test
    void errorsNameOffsetAndField() {
        byte[] bytes = V4Fixtures.bytes(V4Fixtures.IRIS);
        byte[] bad = bytes.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> V4Reader.read(bad)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("identifier").hasMessageContaining("0x0");
        byte[] truncated = java.util.Arrays.copyOf(bytes, 300);
        assertThatThrownBy(() -> V4Reader.read(truncated)).isInstanceOf(KmodelFormatException.class)
                .hasMessageContaining("node");
        byte[] target = bytes.clone();
        target[12] = 7;
        assertThatThrownBy(() -> V4Reader.read(target)).hasMessageContaining("target");
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 8);
        assertThatThrownBy(() -> V4Reader.read(trailing)).hasMessageContaining("follow the last body");
    }
}

package k210studio.kpu.kmodel.v4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.LayoutLaws;
import k210studio.kpu.kmodel.layout.RecordLayout;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.V4Opcode;
import org.junit.jupiter.api.Test;

/**
 * The opcode declarations of {@link V4BodyLayouts}: every opcode's body encodes to the byte count of
 * the spec's field tables (kmodel-v4.md §6-§8 and the sizes listed in §11.1), bodies generated from
 * each declaration round-trip, and values outside a field's declared range are refused by name.
 */
class V4BodyLayoutTest {

    /** One body through the V4 cursors, as the reader and writer use them; reading must consume every byte. */
    static <B extends V4Body> LayoutLaws.Codec<B> codec(RecordLayout<B> layout, V4Opcode op) {
        return new LayoutLaws.Codec<>() {
            @Override
            public byte[] write(B body) {
                V4ByteWriter w = new V4ByteWriter();
                w.context("test");
                V4BodyLayouts.write(body, w);
                return w.toByteArray();
            }

            @Override
            public B read(byte[] bytes) throws KmodelFormatException {
                V4ByteReader r = new V4ByteReader(bytes, 0, bytes.length, "test");
                B b = layout.type().cast(V4BodyLayouts.read(op, r));
                assertThat(r.remaining()).as("%s leaves no byte unread", op).isZero();
                return b;
            }
        };
    }

    @Test
    void theTableDeclaresEveryOpcodeWithItsRecord() {
        for (V4Opcode op : V4Opcode.values()) {
            assertThat(V4BodyLayouts.of(op)).as("%s", op).isNotNull();
        }
        List<Object> declared = Arrays.stream(V4Opcode.values()).map(op -> (Object) V4BodyLayouts.of(op).type()).toList();
        assertThat(declared).containsExactlyInAnyOrder((Object[]) V4Body.class.getPermittedSubclasses());
    }

    /** Random bodies built from each declaration alone (small sizing fields, anything else anywhere in range). */
    @Test
    void everyDeclaredOpcodeRoundTripsGeneratedBodies() throws Exception {
        for (V4Opcode op : V4Opcode.values()) {
            roundTrip(V4BodyLayouts.of(op), op);
        }
    }

    private static <B extends V4Body> void roundTrip(RecordLayout<B> layout, V4Opcode op) throws Exception {
        LayoutLaws.roundTrip(layout, Map.of(), codec(layout, op), new Random(op.code()), 25);
    }

    /** Counts, groups, enum codes, bools and concat's inputs_count stored out of range: the reader names field and offset. */
    @Test
    void outOfRangeStoredValuesAreRefusedNamingTheFieldAndItsOffset() {
        int tried = 0;
        for (V4Opcode op : V4Opcode.values()) {
            tried += refusedBytes(V4BodyLayouts.of(op), op);
        }
        assertThat(tried).as("range-checked leaves tried").isGreaterThan(100);
    }

    private static <B extends V4Body> int refusedBytes(RecordLayout<B> layout, V4Opcode op) {
        return LayoutLaws.outOfRangeBytesAreRefused(layout, Map.of(), codec(layout, op), new Random(op.code() + 1));
    }

    /** A record built in code with a negative count, a u32 or u24 out of range, or an array of the wrong length. */
    @Test
    void outOfRangeRecordValuesAreRefusedByTheWriterNamingTheField() {
        int tried = 0;
        for (V4Opcode op : V4Opcode.values()) {
            tried += refusedValues(V4BodyLayouts.of(op), op);
        }
        assertThat(tried).as("range-checked components tried").isGreaterThan(40);
    }

    private static <B extends V4Body> int refusedValues(RecordLayout<B> layout, V4Opcode op) {
        return LayoutLaws.outOfRangeValuesAreRefused(layout, Map.of(), codec(layout, op), new Random(op.code() + 2));
    }

    @Test
    void everyOpcodeEncodesToTheSpecifiedSize() throws Exception {
        Map<V4Opcode, Integer> expected = new LinkedHashMap<>();
        expected.put(V4Opcode.BINARY, 108);
        expected.put(V4Opcode.CONCAT, 28 + 20 * 2);
        expected.put(V4Opcode.CONV2D, 104 + 4 * 4 + 4 * 1);
        expected.put(V4Opcode.DEQUANTIZE, 40);
        expected.put(V4Opcode.MATMUL, 68 + 4 * 2);
        expected.put(V4Opcode.PAD, 88);
        expected.put(V4Opcode.QUANTIZE, 40);
        expected.put(V4Opcode.REDUCE, 72);
        expected.put(V4Opcode.REDUCE_WINDOW2D, 104);
        expected.put(V4Opcode.MEMORY_COPY, 32);
        expected.put(V4Opcode.RESIZE_IMAGE, 61 + 3);
        expected.put(V4Opcode.SOFTMAX, 44);
        expected.put(V4Opcode.TRANSPOSE, 64);
        expected.put(V4Opcode.STRIDED_SLICE, 116);
        expected.put(V4Opcode.UNARY, 36);
        expected.put(V4Opcode.QUANTIZED_CONV2D, 116 + 4 * 1 + 9);
        expected.put(V4Opcode.QUANTIZED_MATMUL, 80 + 4 * 2);
        expected.put(V4Opcode.QUANTIZED_BINARY, 136);
        expected.put(V4Opcode.TABLE_LOOKUP1D, 48);
        expected.put(V4Opcode.CONV2D_TRANSPOSE, 116 + 4 * 4 + 4 * 1);
        expected.put(V4Opcode.NNIL_UNARY_METHOD, 32 + 8);
        expected.put(V4Opcode.CPU_CONV2D, 100 + 4 * 8 + 4 * 2);
        expected.put(V4Opcode.CPU_DEPTHWISE_CONV2D, 96 + 4 * 16 + 4 * 4);
        expected.put(V4Opcode.CPU_REDUCE_WINDOW2D, 104);
        expected.put(V4Opcode.CPU_QUANTIZED_CONV2D, 112 + 8 + 4 * 2);
        expected.put(V4Opcode.CPU_QUANTIZED_DEPTHWISE_CONV2D, 108 + 16 + 4 * 4);
        expected.put(V4Opcode.KPU_UPLOAD, 48);
        expected.put(V4Opcode.KPU_CONV2D, 120 + 8 * 1 + 144 + 1); // gaps stored as 0 in this body
        V4Model zoo = V4FuzzTest.opZoo();
        assertThat(zoo.nodes()).hasSize(expected.size());
        for (V4Node n : zoo.nodes()) {
            V4Body b = n.body();
            V4ByteWriter w = new V4ByteWriter();
            V4BodyLayouts.write(b, w);
            assertThat(w.position()).as(b.opcode().spelling()).isEqualTo((long) expected.get(b.opcode()));
            // and the same bytes decode to an equal body that consumes them exactly
            byte[] bytes = w.toByteArray();
            V4ByteReader r = new V4ByteReader(bytes, 0, bytes.length, "test");
            assertThat(V4BodyLayouts.read(b.opcode(), r)).isEqualTo(b);
            assertThat(r.remaining()).as(b.opcode().spelling()).isZero();
        }
    }

    @Test
    void everyRealBodyDecodesToItsBodySizeMinusAtMostSevenPadBytes() throws Exception {
        for (String f : V4Fixtures.ALL) {
            V4Model m = V4Reader.read(V4Fixtures.bytes(f));
            for (V4Node n : m.nodes()) {
                V4ByteWriter w = new V4ByteWriter();
                V4BodyLayouts.write(n.body(), w);
                long pad = n.bodySize() - w.position();
                assertThat(pad).as("%s %s", f, n).isBetween(0L, 7L);
            }
        }
    }
}

package k210studio.kpu.kmodel.v3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.layout.LayoutLaws;
import k210studio.kpu.kmodel.layout.RecordLayout;
import org.junit.jupiter.api.Test;

/**
 * The layer declarations of {@link V3BodyLayouts} (kmodel-v3.md §4-§5): bodies generated from each
 * declaration round-trip through the V3 cursors (K210_CONV with 8- and 16-bit weights, its
 * sub-blocks placed as rc5 places them), and values outside a field's range are refused by name.
 */
class V3BodyLayoutsTest {

    static <B extends V3LayerBody> LayoutLaws.Codec<B> codec(RecordLayout<B> layout, V3LayerType type,
            boolean eightBit) {
        return new LayoutLaws.Codec<>() {
            @Override
            public byte[] write(B body) {
                LeBuffer o = new LeBuffer();
                o.context("test ");
                V3BodyLayouts.write(body, o, eightBit);
                return o.toByteArray((int) o.position());
            }

            @Override
            public B read(byte[] bytes) throws KmodelFormatException {
                ByteCursor c = new ByteCursor(bytes);
                c.seek(0, bytes.length, "test ");
                B b = layout.type().cast(V3BodyLayouts.read(type, c, eightBit));
                assertThat(c.position()).as("%s leaves no byte unread", type).isEqualTo(bytes.length);
                return b;
            }
        };
    }

    private static List<V3LayerType> declared() {
        return Arrays.stream(V3LayerType.values()).filter(V3LayerType::hasBody).toList();
    }

    @Test
    void theTableDeclaresEveryTypeWithABodyWithItsRecord() {
        List<Object> types = declared().stream().map(t -> (Object) V3BodyLayouts.of(t).type()).toList();
        assertThat(types).containsExactlyInAnyOrder((Object[]) V3LayerBody.class.getPermittedSubclasses());
    }

    @Test
    void everyDeclaredLayerTypeRoundTripsGeneratedBodies() throws Exception {
        for (V3LayerType t : declared()) {
            for (boolean eightBit : new boolean[] {true, false}) {
                roundTrip(V3BodyLayouts.of(t), t, eightBit);
            }
        }
    }

    private static <B extends V3LayerBody> void roundTrip(RecordLayout<B> layout, V3LayerType t, boolean eightBit)
            throws Exception {
        LayoutLaws.roundTrip(layout, Map.of(V3BodyLayouts.EIGHT_BIT, eightBit), codec(layout, t, eightBit),
                new Random(t.code() * 2L + (eightBit ? 1 : 0)), 20);
    }

    /** The concat input_count and K210_CONV's sub-block offsets stored out of range: reader names field and offset. */
    @Test
    void outOfRangeStoredValuesAreRefusedNamingTheFieldAndItsOffset() {
        int tried = 0;
        for (V3LayerType t : declared()) {
            tried += refusedBytes(V3BodyLayouts.of(t), t);
        }
        assertThat(tried).as("range-checked leaves tried").isEqualTo(2 + 4);
    }

    private static <B extends V3LayerBody> int refusedBytes(RecordLayout<B> layout, V3LayerType t) {
        return LayoutLaws.outOfRangeBytesAreRefused(layout, Map.of(V3BodyLayouts.EIGHT_BIT, true),
                codec(layout, t, true), new Random(t.code()));
    }

    /** u32 fields (shapes and concat ranges included) out of 0..2^32-1 and arrays of the wrong length. */
    @Test
    void outOfRangeRecordValuesAreRefusedByTheWriterNamingTheField() {
        int tried = 0;
        for (V3LayerType t : declared()) {
            tried += refusedValues(V3BodyLayouts.of(t), t);
        }
        assertThat(tried).as("range-checked components tried").isGreaterThan(80);
    }

    private static <B extends V3LayerBody> int refusedValues(RecordLayout<B> layout, V3LayerType t) {
        return LayoutLaws.outOfRangeValuesAreRefused(layout, Map.of(V3BodyLayouts.EIGHT_BIT, false),
                codec(layout, t, false), new Random(t.code() + 7));
    }
}

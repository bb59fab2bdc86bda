package k210studio.kpu.kmodel.v4;

import java.util.Map;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.V4Body;

/** The memory ranges a body reads and writes, by field name (for checks, dumps and traces). */
public final class V4BodyRanges {
    private V4BodyRanges() {
    }

    /** Field name to range, inputs first, "output" (or the written ranges) last; from {@link V4BodyLayouts}. */
    public static Map<String, MemoryRange> of(V4Body body) {
        return V4BodyLayouts.ranges(body);
    }
}

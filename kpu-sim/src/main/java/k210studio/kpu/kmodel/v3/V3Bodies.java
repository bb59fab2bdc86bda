package k210studio.kpu.kmodel.v3;

/** Small shared writing helpers for body records. */
final class V3Bodies {
    private V3Bodies() {
    }

    static void shape(LeBuffer o, V3Shape s) {
        o.u32(s.width());
        o.u32(s.height());
        o.u32(s.channels());
    }
}

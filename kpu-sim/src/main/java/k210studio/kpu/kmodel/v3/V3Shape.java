package k210studio.kpu.kmodel.v3;

/** A V3 body shape: three u32 in the file order width, height, channels. */
public record V3Shape(long width, long height, long channels) {
    /** width x height x channels, saturating at Long.MAX_VALUE (the fields are u32). */
    public long elements() {
        return V3Runtime.mul(V3Runtime.mul(width, height), channels);
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}

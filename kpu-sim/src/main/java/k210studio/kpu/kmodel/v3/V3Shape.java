package k210studio.kpu.kmodel.v3;

/** A V3 body shape: three u32 in the file order width, height, channels. */
public record V3Shape(long width, long height, long channels) {
    public long elements() {
        return width * height * channels;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}

package k210studio.kpu.kmodel.v4.body;

import java.util.Arrays;

/**
 * An {@code int32[4]} of a V4 body: a tensor shape (NCHW for neutral ops, NHWC for the CPU ops
 * 0x1001-0x1005), or a permutation / begin / end / strides vector. Lower ranks are right-aligned.
 */
public record Shape4(int d0, int d1, int d2, int d3) {
    public static final int BYTES = 16;

    public static Shape4 of(int... d) {
        if (d.length != 4) {
            throw new IllegalArgumentException("a V4 shape has exactly 4 values, got " + d.length);
        }
        return new Shape4(d[0], d[1], d[2], d[3]);
    }

    public int get(int axis) {
        switch (axis) {
            case 0: return d0;
            case 1: return d1;
            case 2: return d2;
            case 3: return d3;
            default: throw new IndexOutOfBoundsException("axis " + axis);
        }
    }

    public int[] toArray() {
        return new int[] {d0, d1, d2, d3};
    }

    /** True when every value is at least 1 (a usable tensor shape). */
    public boolean isPositive() {
        return d0 > 0 && d1 > 0 && d2 > 0 && d3 > 0;
    }

    /** Product of the four values as a long (negative values give a negative or odd product). */
    public long product() {
        return (long) d0 * d1 * d2 * d3;
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}

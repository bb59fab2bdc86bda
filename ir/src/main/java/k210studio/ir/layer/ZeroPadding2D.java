package k210studio.ir.layer;

/** Keras ZeroPadding2D(((top, bottom), (left, right))). */
public record ZeroPadding2D(int top, int bottom, int left, int right) implements LayerParams {
    public ZeroPadding2D {
        Checks.nonNegative("padding", top, bottom, left, right);
    }

    public static ZeroPadding2D symmetric(int p) {
        return new ZeroPadding2D(p, p, p, p);
    }

    public boolean isSymmetricOne() {
        return top == 1 && bottom == 1 && left == 1 && right == 1;
    }

    public String kerasName() { return "ZeroPadding2D"; }
}

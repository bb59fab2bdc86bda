package k210studio.kpu.post;

/**
 * One detected object, as MaixPy's {@code kpu.run_yolo2} returns it: class, label (or null),
 * probability (objectness x class probability), and the box in pixels of the image the boxes are
 * scaled to (x, y = top-left corner).
 */
public record Detection(int classId, String label, float score, float x, float y, float w, float h) {
    /** Box centre x. */
    public float centerX() {
        return x + w / 2;
    }

    /** Box centre y. */
    public float centerY() {
        return y + h / 2;
    }

    /** True when the point lies inside the box. */
    public boolean contains(float px, float py) {
        return px >= x && px <= x + w && py >= y && py <= y + h;
    }
}

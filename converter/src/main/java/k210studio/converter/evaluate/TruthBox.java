package k210studio.converter.evaluate;

/**
 * One labelled object of a detection dataset, in pixels of the original image (x, y = top-left corner, continuous
 * coordinates: a Pascal VOC box xmin…xmax covering pixels 1-based xmin to xmax inclusive is x = xmin − 1,
 * w = xmax − xmin + 1).
 *
 * @param classId   the model's class index
 * @param difficult VOC's "difficult" flag: neither a hit nor a miss for AP (as the VOC devkit counts it)
 */
public record TruthBox(int classId, float x, float y, float w, float h, boolean difficult) {
    public TruthBox {
        if (!(w > 0) || !(h > 0)) {
            throw new IllegalArgumentException("a box needs a positive width and height, got " + w + "×" + h);
        }
    }
}

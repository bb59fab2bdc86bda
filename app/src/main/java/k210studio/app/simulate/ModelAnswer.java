package k210studio.app.simulate;

import java.util.List;
import k210studio.kpu.post.Detection;
import k210studio.kpu.post.Scored;

/**
 * What one side (float or K210) answered: top-k classes, decoded boxes (in pixels of the original image), the raw
 * first output, and an error message when its outputs could not be decoded as asked.
 */
public record ModelAnswer(List<Scored> top, List<Detection> boxes, float[] firstOutput, String error) {
    public ModelAnswer {
        top = top == null ? List.of() : List.copyOf(top);
        boxes = boxes == null ? List.of() : List.copyOf(boxes);
    }
}

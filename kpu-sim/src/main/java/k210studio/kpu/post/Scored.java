package k210studio.kpu.post;

/** One class of a classifier output: index into the output vector, label (or null) and score. */
public record Scored(int index, String label, float score) {
}

package k210studio.kpu.post;

import java.util.ArrayList;
import java.util.List;

/** The N highest scores of a classifier output, highest first (ties: lower index first). */
public final class TopN {
    private TopN() {
    }

    /**
     * @param labels optional labels (index i names output i); null or shorter lists leave labels null
     */
    public static List<Scored> of(float[] scores, int n, List<String> labels) {
        if (n < 0) {
            throw new IllegalArgumentException("N must be >= 0, got " + n);
        }
        n = Math.min(n, scores.length);
        int[] best = new int[n];
        int count = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) {
                continue;
            }
            int pos = count;
            while (pos > 0 && scores[best[pos - 1]] < s) {
                pos--;
            }
            if (pos < n) {
                int last = Math.min(count, n - 1);
                System.arraycopy(best, pos, best, pos + 1, last - pos);
                best[pos] = i;
                count = Math.min(count + 1, n);
            }
        }
        List<Scored> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int i = best[k];
            String label = labels != null && i < labels.size() ? labels.get(i) : null;
            out.add(new Scored(i, label, scores[i]));
        }
        return out;
    }
}

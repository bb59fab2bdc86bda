package k210studio.converter.evaluate;

/** The best classes of a score vector (ties go to the lower index, as argmax does). */
public final class TopClasses {
    private TopClasses() {
    }

    public static int top1(float[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }

    /** True when class {@code c} is among the {@code k} best (a class ranks by how many scores beat it). */
    static boolean inTop(float[] s, int c, int k) {
        if (c < 0 || c >= s.length) {
            return false;
        }
        int better = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] > s[c] || s[i] == s[c] && i < c) {
                better++;
            }
        }
        return better < k;
    }
}

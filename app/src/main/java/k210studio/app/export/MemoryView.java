package k210studio.app.export;

import java.util.Set;

/**
 * What the memory page shows: a note while compiling or after a cancel, the compiler's report as charts with the
 * fit message, or — when the compile stopped — the checker's estimate with the named layer's columns red.
 *
 * @param data    the chart data, null for a note
 * @param guilty  per-step columns drawn red
 * @param message the line above the charts (or the note)
 * @param fits    whether the model fits the chosen budget (false for a failure)
 * @param failed  true when the compile stopped and the charts are the checker's estimate
 */
public record MemoryView(MemoryChartData data, Set<String> guilty, String message, boolean fits, boolean failed) {
    public MemoryView {
        guilty = Set.copyOf(guilty);
    }

    public static MemoryView compiling() {
        return new MemoryView(null, Set.of(), "Compiling…", false, false);
    }

    public static MemoryView note(String text) {
        return new MemoryView(null, Set.of(), text, false, false);
    }

    public static MemoryView report(MemoryChartData d, String message, boolean fits) {
        return new MemoryView(d, Set.of(), message, fits, false);
    }

    public static MemoryView failed(MemoryChartData d, Set<String> guilty, String message) {
        return new MemoryView(d, guilty, message, false, true);
    }
}

package k210studio.ir.rules;

/** Test helper: the report as a table (for debugging and the benchmark's output). */
final class ReportPrinter {
    private ReportPrinter() {
    }

    static String table(CheckReport r) {
        StringBuilder sb = new StringBuilder();
        for (LayerCheck l : r.layers()) {
            sb.append(String.format("%-24s %-20s %-12s %-12s %-5s %s | %s%n", l.name(), l.type(), l.v3().verdict(), l.v4().verdict(),
                    l.v3().rule().id(), l.v3().reason(), l.v4().reason()));
            for (Fix f : l.fixes()) {
                sb.append("    fix: ").append(f.title()).append(f.warning() != null ? " (warning: " + f.warning() + ")" : "").append('\n');
            }
        }
        for (Target t : Target.values()) {
            MemoryEstimate m = r.memory(t);
            sb.append(t).append(": KPU peak ").append(m.kpuPeakBytes()).append(" at ").append(m.kpuPeakLayer()).append(", main ")
                    .append(m.mainBytes()).append(" (weights ").append(m.weightBytes()).append(", tables ").append(m.tableBytes())
                    .append(", buffers ").append(m.cpuBufferBytes()).append(") problems ").append(m.problems()).append('\n');
        }
        return sb.toString();
    }
}

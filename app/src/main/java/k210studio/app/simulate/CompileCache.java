package k210studio.app.simulate;

import k210studio.converter.compile.K210Compiler;
import k210studio.ir.project.Project;
import k210studio.ir.rules.Target;

/** The last in-memory compile of the project, reused while the network, its settings and the target are unchanged. */
final class CompileCache {
    /** A compile and what it was made from (a frozen copy of the project). */
    record Entry(Project project, Target target, K210Compiler.Result result) {
    }

    private Entry entry;

    /** The kept compile if it was made from an equal project for the same target, else null. */
    Entry lookup(Project p, Target t) {
        Entry e = entry;
        if (e != null && e.target() == t && e.project().graph().equals(p.graph()) && e.project().settings().equals(p.settings())) {
            return e;
        }
        return null;
    }

    void keep(Entry e) {
        entry = e;
    }

    void clear() {
        entry = null;
    }
}

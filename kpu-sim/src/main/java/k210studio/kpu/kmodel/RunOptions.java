package k210studio.kpu.kmodel;

/**
 * How to run a model.
 *
 * @param rules        the KPU rule set (RC5 / BETA4 / the model's default)
 * @param traceOutputs whether each {@link LayerTrace} carries a copy of the layer output
 * @param workBudget   upper bound on the work of one run, in elementary operations (one MAC, one
 *                     element read or written); a layer whose declared work would exceed what is
 *                     left raises {@link KmodelFormatException} before it runs, so a corrupt model
 *                     can never hang the simulator. {@link #DEFAULT_WORK_BUDGET} is far above any
 *                     real K210 model (the chip does ~0.2 T MAC/s).
 */
public record RunOptions(KpuRules rules, boolean traceOutputs, long workBudget) {
    /** 200 G operations: minutes of simulation, hours of chip time. */
    public static final long DEFAULT_WORK_BUDGET = 200_000_000_000L;

    public RunOptions {
        if (rules == null) {
            rules = KpuRules.MODEL_DEFAULT;
        }
        if (workBudget <= 0) {
            throw new IllegalArgumentException("work budget must be positive");
        }
    }

    /** Model-default rules, no output snapshots, default budget. */
    public static RunOptions defaults() {
        return new RunOptions(KpuRules.MODEL_DEFAULT, false, DEFAULT_WORK_BUDGET);
    }

    public RunOptions withRules(KpuRules r) {
        return new RunOptions(r, traceOutputs, workBudget);
    }

    public RunOptions withTraceOutputs(boolean t) {
        return new RunOptions(rules, t, workBudget);
    }

    public RunOptions withWorkBudget(long b) {
        return new RunOptions(rules, traceOutputs, b);
    }
}

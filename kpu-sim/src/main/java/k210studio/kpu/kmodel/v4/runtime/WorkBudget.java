package k210studio.kpu.kmodel.v4.runtime;

import k210studio.kpu.kmodel.KmodelFormatException;

/** The remaining work of one run (RunOptions.workBudget): a node asking for more fails before it runs. */
final class WorkBudget {
    private long left;
    private long used;

    WorkBudget(long total) {
        this.left = total;
    }

    void charge(long work, NodeContext ctx) throws KmodelFormatException {
        if (work < 0 || work > left) {
            throw ctx.fail("declares " + (work < 0 ? "an overflowing amount of" : String.valueOf(work))
                    + " operations but only " + left + " remain of the run's work budget; the model's shape"
                    + " fields are corrupt or the budget (RunOptions.workBudget) is too small");
        }
        left -= work;
        used += work;
    }

    long used() {
        return used;
    }
}

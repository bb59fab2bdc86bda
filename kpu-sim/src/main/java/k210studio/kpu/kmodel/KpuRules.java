package k210studio.kpu.kmodel;

/**
 * Which nncase rule set the simulated KPU follows (segment choice and rounding of halves, see
 * kpu-arith.md): RC5 (nncase v0.1.0-rc5, the V3 compiler) or BETA4 (nncase v0.2.0-beta4, V4).
 * {@link #MODEL_DEFAULT} picks RC5 for V3 models and BETA4 for V4 models.
 */
public enum KpuRules {
    MODEL_DEFAULT, RC5, BETA4;

    /** The rule set to use for a model of the given kmodel version. */
    public KpuRules resolve(int kmodelVersion) {
        if (this != MODEL_DEFAULT) {
            return this;
        }
        return kmodelVersion >= 4 ? BETA4 : RC5;
    }
}

package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KpuRules;

/**
 * Stages 1–3 of the KPU pipeline for one batch (taps, dot products, BN + activation) after
 * {@link KpuInputStage#loadPlanes} has read the input: fills {@code activated[o·n + i]} for every
 * output channel o and grid position i. Two implementations give the same bytes:
 * {@link KpuScalarKernel} (portable) and {@code KpuVectorKernel} (int8 GEMM on the incubating Vector
 * API, used when the JVM was started with {@code --add-modules jdk.incubator.vector}).
 */
interface KpuConvKernel {
    /** System property that forces a kernel: {@code vector} or {@code scalar} (default: the best available). */
    String PROPERTY = "k210.kpu.kernel";

    /** Which kernel a {@link Kpu} uses. */
    enum Choice {
        /** The vector kernel when the module is present and the property does not say otherwise. */
        BEST,
        /** Always the portable kernel. */
        SCALAR,
        /** The vector kernel; fails when the module is missing. */
        VECTOR
    }

    /** "vector" or "scalar". */
    String name();

    void compute(KpuLayerArgument layer, KpuConvData data, KpuPreparedWeights prep, KpuRules rules, KpuGrid g,
            byte[] activated);

    /** True when {@code jdk.incubator.vector} is in the boot layer (the JVM was started with --add-modules). */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static KpuConvKernel create(Choice choice, KpuWork work, KpuInputStage input) {
        KpuScalarKernel scalar = new KpuScalarKernel(work, input);
        boolean vector;
        switch (choice) {
            case SCALAR:
                vector = false;
                break;
            case VECTOR:
                vector = true;
                break;
            default:
                vector = !"scalar".equals(System.getProperty(PROPERTY)) && vectorModulePresent();
        }
        if (!vector) {
            return scalar;
        }
        // KpuVectorKernel links against jdk.incubator.vector: only touched when the module is there
        return KpuVectorKernel.create(work, input, scalar);
    }
}

package k210studio.converter.compile.lower;

import java.util.Map;
import java.util.Set;

/**
 * The decisions of the lowering passes, which the emission then follows.
 *
 * @param convs      padding mapping of every convolution ({@link PaddingMapping})
 * @param fusedPools per conv id, the pool its KPU layer applies ({@link PoolFusion})
 * @param kpuDense   the Dense layers that run on the KPU ({@link DenseOnKpu})
 */
record LoweringPlan(ConvMappings convs, Map<String, FusedPool> fusedPools, Set<String> kpuDense) {

    /** Whether a layer is part of another layer's KPU layer (a ZeroPadding2D or a pool), so it emits nothing itself. */
    boolean absorbed(String id) {
        if (convs.padAbsorbed().contains(id)) {
            return true;
        }
        for (FusedPool p : fusedPools.values()) {
            if (p.poolId().equals(id)) {
                return true;
            }
        }
        return false;
    }
}

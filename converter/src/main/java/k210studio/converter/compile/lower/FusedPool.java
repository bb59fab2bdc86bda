package k210studio.converter.compile.lower;

/**
 * A pooling layer the KPU's pool stage applies after the conv before it.
 *
 * @param poolId   the pooling layer (absorbed into the conv's KPU layer)
 * @param poolType the KPU pool type (kpu-arith.md §2: 1/2 = 2×2 max/avg stride 2, 3/4 = 4×4, 8/9 = 2×2 stride 1)
 */
record FusedPool(String poolId, int poolType) {
}

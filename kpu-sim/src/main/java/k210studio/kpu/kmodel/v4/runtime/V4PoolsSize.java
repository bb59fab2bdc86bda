package k210studio.kpu.kmodel.v4.runtime;

/** Fixed pool sizes of the V4 runtime. */
final class V4PoolsSize {
    /** The KPU RAM: 2 MiB. */
    static final long KPU = 2L * 1024 * 1024;

    private V4PoolsSize() {
    }
}

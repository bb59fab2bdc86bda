package k210studio.kpu.kmodel.v4.runtime;

import k210studio.kpu.kmodel.v4.body.MemoryType;

/**
 * The memories a V4 model runs on (kmodel-v4.md §3.8): the constants blob (a per-runtime copy of
 * the model's, as the chip addresses it inside the model buffer), main memory of
 * {@code header.main_mem} bytes and the 2 MiB KPU RAM.
 */
public final class V4Pools {
    private final byte[] constants;
    private final byte[] main;
    private final byte[] kpu;

    V4Pools(byte[] constants, byte[] main, byte[] kpu) {
        this.constants = constants;
        this.main = main;
        this.kpu = kpu;
    }

    byte[] of(MemoryType t) {
        switch (t) {
            case CONST: return constants;
            case MAIN: return main;
            default: return kpu;
        }
    }

    byte[] main() {
        return main;
    }

    byte[] kpu() {
        return kpu;
    }

    byte[] constants() {
        return constants;
    }
}

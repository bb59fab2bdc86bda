package k210studio.ir.rules;

/**
 * How much of the K210's 6 MiB general RAM is left for a model (the kmodel loaded into RAM
 * plus its CPU buffers) under a given firmware. Figures and sources:
 * <ul>
 *   <li>{@link #BARE_SDK}: 6 MiB (6 291 456 B). A program on the Kendryte standalone SDK owns the
 *       whole 6 MiB general SRAM (K210 datasheet: 8 MiB SRAM = 6 MiB general + 2 MiB AI/KPU);
 *       the SDK's own code and stack are small and not subtracted, so this is the upper bound.</li>
 *   <li>{@link #MAIXPY_MINIMUM}: 4.5 MiB (4 718 592 B). Sipeed's MaixPy memory page: "the chip has
 *       6 MiB, the firmware uses the first 2 MiB … the default GC uses 512 KiB, the rest is system
 *       heap (used for loading models)"; Sipeed BBS topic 1811: the firmware costs "1~2 MB" and
 *       users "choose the minimum function MaixPy version to run bigger AI models". Minimum
 *       firmware ≈ 1 MiB + 512 KiB GC → 6 − 1 − 0.5 MiB.</li>
 *   <li>{@link #MAIXPY_FULL_CAMERA_LCD}: 3.5 MiB (3 670 016 B) minus camera/LCD frame buffers at QVGA,
 *       i.e. 3 132 416 B. Full firmware 2 MiB + GC 512 KiB (Sipeed MaixPy memory page) leave 3.5 MiB;
 *       BBS topic 1811 adds "pic buf cost another 0.5~1 MB": the sensor's RGB565 frame (320·240·2 =
 *       153 600 B) + its planar RGB888 copy for the KPU (230 400 B) + the LCD buffer (153 600 B) =
 *       537 600 B. MaixPy-v1 issues #300/#422 show models failing with ERR_NO_MEM there.</li>
 * </ul>
 */
public enum MemoryBudget {
    BARE_SDK("bare SDK", 6L * 1024 * 1024,
            "Kendryte standalone SDK: the whole 6 MiB general SRAM (datasheet)"),
    MAIXPY_MINIMUM("MaixPy minimum", 6L * 1024 * 1024 - 1024L * 1024 - 512L * 1024,
            "6 MiB − ≈1 MiB minimum firmware − 512 KiB MicroPython GC heap (Sipeed MaixPy memory page; BBS topic 1811)"),
    MAIXPY_FULL_CAMERA_LCD("MaixPy full + camera/LCD", 6L * 1024 * 1024 - 2048L * 1024 - 512L * 1024 - 537_600L,
            "6 MiB − 2 MiB full firmware − 512 KiB GC heap − QVGA frame buffers 537 600 B "
                    + "(RGB565 sensor 153 600 + planar RGB888 for the KPU 230 400 + LCD 153 600)");

    private final String label;
    private final long bytes;
    private final String source;

    MemoryBudget(String label, long bytes, String source) {
        this.label = label;
        this.bytes = bytes;
        this.source = source;
    }

    public String label() {
        return label;
    }

    /** Main RAM available to the model (kmodel in RAM + its buffers). */
    public long bytes() {
        return bytes;
    }

    /** Where the figure comes from. */
    public String source() {
        return source;
    }
}

package k210studio.converter.compile;

import k210studio.converter.quant.QuantParam;

/**
 * One tensor of the compiled program: geometry (CHW; vectors are C×1×1), storage, quantization (for uint8) and,
 * once the memory plan ran, its address (KPU RAM line or main-memory byte offset).
 */
public final class PlannedValue {
    private final String name;
    private final Storage storage;
    private final int c;
    private final int h;
    private final int w;
    private final QuantParam quant;
    private long address = -1;
    private boolean pinnedAtZero;
    private int slackBytes;

    public PlannedValue(String name, Storage storage, int c, int h, int w, QuantParam quant) {
        this.name = name;
        this.storage = storage;
        this.c = c;
        this.h = h;
        this.w = w;
        this.quant = quant;
        if ((storage == Storage.KPU || storage == Storage.MAIN_U8) && quant == null) {
            throw new IllegalArgumentException("uint8 value " + name + " needs a quantization");
        }
    }

    public String name() {
        return name;
    }

    public Storage storage() {
        return storage;
    }

    public int c() {
        return c;
    }

    public int h() {
        return h;
    }

    public int w() {
        return w;
    }

    public long elements() {
        return (long) c * h * w;
    }

    public QuantParam quant() {
        return quant;
    }

    /** KPU row layout: channels per 64-byte line (kpu-arith.md §1.2). */
    public static int groups(int width) {
        return width <= 16 ? 4 : width <= 32 ? 2 : 1;
    }

    /** KPU row layout: 64-byte lines per row. */
    public static int rowLength(int width) {
        return width <= 32 ? 1 : (width + 63) / 64;
    }

    /** KPU lines of a C×H×W map: row_len · H · ceil(C / min(C, g)). */
    public static long kpuLines(int c, int h, int w) {
        int g = Math.min(c, groups(w));
        return (long) rowLength(w) * h * ((c + g - 1) / g);
    }

    /** Size in the storage's address units: KPU lines or bytes. */
    public long sizeUnits() {
        switch (storage) {
            case KPU:
                return kpuLines(c, h, w);
            case MAIN_U8:
                return elements() + slackBytes;
            case MAIN_F32:
                return elements() * 4;
            default:
                return elements() * 4;
        }
    }

    /** Size in bytes of the tensor itself (KPU: the line footprint; without reserved slack). */
    public long bytes() {
        return storage == Storage.KPU ? sizeUnits() * 64 : sizeUnits() - (storage == Storage.MAIN_U8 ? slackBytes : 0);
    }

    public long address() {
        if (address < 0) {
            throw new IllegalStateException(name + " has no address yet");
        }
        return address;
    }

    public boolean hasAddress() {
        return address >= 0;
    }

    void setAddress(long a) {
        this.address = a;
    }

    /** Extra bytes reserved after a main-memory tensor (a shifted upload may read up to W + 1 bytes past it). */
    public void reserveSlack(int bytes) {
        this.slackBytes = Math.max(slackBytes, bytes);
    }

    /** The runtime expects this value at offset 0 (V3 float input). */
    public boolean pinnedAtZero() {
        return pinnedAtZero;
    }

    public void pinAtZero() {
        this.pinnedAtZero = true;
    }

    @Override
    public String toString() {
        return name + ":" + storage + "[" + c + "×" + h + "×" + w + "]";
    }
}

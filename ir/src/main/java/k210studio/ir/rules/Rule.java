package k210studio.ir.rules;

/**
 * The rule book of the checker ({@code docs/k210-rules.md}): K1–K10 are the conditions for one
 * fused KPU layer, M1–M6 the other layers, MEM1/MEM2 the memory budgets. A few ids name what
 * the rule book leaves implicit (graph and shape errors, nncase's weight-range fallback).
 */
public enum Rule {
    KPU_OK("K1–K10", "all KPU layer conditions hold"),
    K1("K1", "kernel 1×1 or 3×3"),
    K2("K2", "stride 1 or 2, equal on both axes"),
    K3("K3", "padding the KPU can do (1 pixel on every side for 3×3)"),
    K4("K4", "KPU input size 4…256 rows × 4…512 columns (FAQ: ≤ 320×240 W×H)"),
    K5("K5", "KPU output at least 4×4"),
    K6("K6", "1…1024 channels in and out"),
    K7("K7", "depthwise multiplier 1, dilation 1"),
    K8("K8", "activation fits the KPU's 16-segment table"),
    K9("K9", "pooling the KPU can fuse (2×2 s2, 4×4 s4, 2×2 s1 'same', after a non-depthwise conv)"),
    K10("K10", "stride 2 uses the KPU's pooling stage (left-top select)"),
    M1("M1", "Dense / fully connected"),
    M2("M2", "Conv2DTranspose"),
    M3("M3", "BatchNormalization not after a conv, standalone activation"),
    M4("M4", "CPU layers (pooling, softmax, add, concatenate, flatten, reshape, upsampling)"),
    M5("M5", "dynamic-shape sub-graphs"),
    M6("M6", "operator not in the converter's list"),
    MEM1("MEM1", "feature maps of one KPU layer fit the 2 MiB KPU RAM"),
    MEM2("MEM2", "model fits the main RAM left by the firmware"),
    Q1("Q1", "weight range small enough to quantize (nncase 0.2 --weights-quantize-threshold 64)"),
    IO("IO", "model input/output"),
    G1("G1", "graph structure and shapes");

    private final String id;
    private final String title;

    Rule(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** "K3", "M1", "MEM1", ... */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    @Override
    public String toString() {
        return id;
    }
}

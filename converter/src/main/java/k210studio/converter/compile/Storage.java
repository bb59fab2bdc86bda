package k210studio.converter.compile;

/** Where and how a tensor lives while a kmodel runs. */
public enum Storage {
    /** uint8 feature map in KPU RAM, in the 64-byte row layout (kpu-arith.md §1.2). */
    KPU,
    /** uint8, dense CHW, in the main-memory scratch buffer. */
    MAIN_U8,
    /** float32, dense CHW, in the main-memory scratch buffer. */
    MAIN_F32,
    /** Constant data in the model file (V4 constants blob). */
    CONST
}

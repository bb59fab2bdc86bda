package k210studio.kpu.kmodel.v4;

/**
 * The 40-byte V4 model header (kmodel-v4.md §3.1) without the fixed identifier ("LDMK") and
 * version (4). {@code reserved0} is never initialised by ncc (garbage such as 0xCCCCCCCC); it is
 * kept only so that a read file is written back byte for byte, and is otherwise ignored.
 */
public record V4Header(long flags, long target, long constantsSize, long mainMemSize, long nodeCount,
        long inputCount, long outputCount, long reserved0) {
    public static final int BYTES = 40;
    /** The u32 'KMDL' multi-character constant; stored little-endian it reads "LDMK". */
    public static final int IDENTIFIER = 0x4B4D444C;
    public static final int VERSION = 4;
    public static final int TARGET_CPU = 0;
    public static final int TARGET_K210 = 1;
}

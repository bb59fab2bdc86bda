package k210studio.kpu.kmodel.v4.body;

/**
 * The sliding-window geometry the runtime-only CPU ops 0x1001-0x1005 share (kmodel-v4.md §8): an NHWC input of
 * {@link #inShape()}, a filter of filterH × filterW moved by the strides and dilations over the padded image.
 */
public interface CpuWindowBody {
    MemoryRange input();

    MemoryRange output();

    Shape4 inShape();

    Padding paddingH();

    Padding paddingW();

    int filterH();

    int filterW();

    int strideH();

    int strideW();

    int dilationH();

    int dilationW();
}

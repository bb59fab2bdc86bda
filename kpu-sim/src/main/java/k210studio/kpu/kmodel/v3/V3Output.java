package k210studio.kpu.kmodel.v3;

/** One row of the output table: main-memory byte offset and size in bytes (u32 each). */
public record V3Output(long address, long size) {
}

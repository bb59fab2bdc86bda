package k210studio.kpu.kmodel.v3;

/** A main-memory byte range (CONCAT inputs): start offset and size in bytes, both u32. */
public record V3MemoryRange(long start, long size) {
}

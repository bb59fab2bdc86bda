package k210studio.kpu.kmodel.layout;

/** Where one leaf field of a written body sits: its full name, file offset and byte count. */
public record FieldSpan(String path, Field<?> field, long offset, long bytes) {
}

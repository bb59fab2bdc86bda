package k210studio.kpu.kmodel.layout;

/** One stored value of a body, by the record component it fills (dumps print these). */
public record FieldValue(Field<?> field, String component, Object value) {
}

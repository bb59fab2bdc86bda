package k210studio.kpu.kmodel.layout;

/** What an op does with a memory-range field: reads it, writes it, or neither (not a range). */
public enum Role {
    NONE, INPUT, OUTPUT
}

package k210studio.kpu.kmodel;

/**
 * THE documented error for a kmodel that cannot be read or run: a truncated or corrupt file, an
 * unsupported version, a field whose value is out of range, an address outside main memory or KPU
 * RAM, an unknown layer code, or a run that exceeds its work budget (a corrupt field asking for an
 * absurd amount of computation). Readers and runtimes of every kmodel version throw only this
 * (checked) exception for problems caused by the model bytes; the message names the byte offset
 * (when known) and the field, and says what would fix it.
 */
public class KmodelFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Offset unknown. */
    public static final long NO_OFFSET = -1;

    private final long offset;
    private final String field;

    /** A format error whose message already names the offset and field. */
    public KmodelFormatException(String message) {
        super(message);
        this.offset = NO_OFFSET;
        this.field = null;
    }

    /**
     * A format error at a byte offset of the file (or of main memory / KPU RAM, as the message says).
     * The message is built as {@code "<field> at offset 0x..: <problem>"}.
     */
    public KmodelFormatException(long offset, String field, String problem) {
        super(field + (offset >= 0 ? " at offset 0x" + Long.toHexString(offset) + " (" + offset + ")" : "")
                + ": " + problem);
        this.offset = offset;
        this.field = field;
    }

    /** The byte offset the problem was found at, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }

    /** The name of the offending field, or null when the message alone says it. */
    public String field() {
        return field;
    }
}

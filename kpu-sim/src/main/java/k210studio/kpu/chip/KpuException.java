package k210studio.kpu.chip;

import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * A KPU layer that the chip cannot run as given: an address outside KPU RAM or main memory, register
 * fields that contradict each other, a table of the wrong size, a field value whose hardware meaning
 * is unknown. It is a {@link KmodelFormatException} so a runtime can let it propagate as the
 * documented model error; the message names the field and the fix.
 */
public class KpuException extends KmodelFormatException {
    private static final long serialVersionUID = 1L;

    public KpuException(String message) {
        super(message);
    }
}

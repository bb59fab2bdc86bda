package k210studio.kpu.kmodel;

/**
 * Parses one kmodel version. Implementations are found with {@link java.util.ServiceLoader}
 * (file {@code META-INF/services/k210studio.kpu.kmodel.KmodelLoader} in kpu-sim's resources, one
 * class name per line) and must have a public no-argument constructor.
 */
public interface KmodelLoader {

    /** The version this loader reads (the value {@link KmodelFiles#detectVersion} returns). */
    int version();

    /** Parses the whole file. Only {@link KmodelFormatException} for bad bytes. */
    Kmodel read(byte[] bytes) throws KmodelFormatException;
}

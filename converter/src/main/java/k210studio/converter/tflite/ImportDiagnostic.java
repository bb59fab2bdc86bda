package k210studio.converter.tflite;

/**
 * A finding of the TFLite import, for the user.
 *
 * @param severity ERROR: the graph is incomplete or wrong (cannot be run or compiled);
 *                 WARNING: works, but something the user must know; INFO: what the importer did
 * @param code     a stable key ("unsupported-op", "quantized-model", "quantized-input", "dynamic-shape", ...)
 * @param message  the finding and what to do about it
 * @param layerId  the layer concerned, or null
 */
public record ImportDiagnostic(Severity severity, String code, String message, String layerId) {

    public enum Severity { ERROR, WARNING, INFO }

    public static ImportDiagnostic error(String code, String message) {
        return new ImportDiagnostic(Severity.ERROR, code, message, null);
    }

    public static ImportDiagnostic warning(String code, String message) {
        return new ImportDiagnostic(Severity.WARNING, code, message, null);
    }

    public static ImportDiagnostic info(String code, String message) {
        return new ImportDiagnostic(Severity.INFO, code, message, null);
    }

    @Override
    public String toString() {
        return severity.name().toLowerCase() + " [" + code + "] " + message;
    }
}

package k210studio.converter.cli;

import java.nio.file.Path;

/**
 * What {@code ./k210 run} was asked to do, independent of the model format.
 *
 * @param model     the model file (.tflite, .kmodel, ...)
 * @param image     a picture to feed (resized to the input), or null
 * @param values    input values given on the command line, or null
 * @param inputFile a raw binary input file (elements of the input's type, little-endian), or null
 * @param mean      normalisation mean (x = (pixel − mean) / std), or null for the default
 * @param std       normalisation std, or null for the default
 * @param labels    a label file (one per line), or null
 * @param top       how many top classes to list
 * @param json      print JSON instead of text
 * @param rawInt8   feed image bytes to an INT8 input as signed bytes instead of pixel − 128
 */
public record RunRequest(Path model, Path image, float[] values, Path inputFile, Float mean, Float std, Path labels,
                         int top, boolean json, boolean rawInt8) {
}

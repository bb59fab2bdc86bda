package k210studio.converter.cli;

import java.nio.file.Path;

/**
 * What {@code ./k210 run} was asked to do for a float-evaluated model (.tflite).
 *
 * @param model     the model file
 * @param image     a picture to feed (resized to the input), or null
 * @param values    input values given on the command line, or null
 * @param inputFile a raw binary input file (elements of the input's type, little-endian, NHWC), or null
 * @param mean      normalisation mean (x = (pixel − mean) / std), or null for the default
 * @param std       normalisation std, or null for the default
 * @param labels    a label file (one per line), or null
 * @param top       how many top classes to list; null = 5 for a vector output without --yolo
 * @param anchors   YOLOv2 anchors to decode output 0 as a region layer, or null
 * @param threshold YOLO probability threshold
 * @param nms       YOLO NMS IoU threshold
 * @param json      print JSON instead of text
 * @param invert    feed 255 − pixel
 * @param nearest   resize images nearest-neighbour instead of bilinear
 * @param rawInt8   feed image bytes to an INT8 input as signed bytes instead of pixel − 128
 * @param trace     also report every layer: type, output shape, value range and time
 * @param ssd       Ultra-Light SSD prior configuration to decode the outputs with (auto, rfb320, landmark320), or null
 */
public record RunRequest(Path model, Path image, float[] values, Path inputFile, Float mean, Float std, Path labels,
                         Integer top, float[] anchors, float threshold, float nms, boolean json, boolean invert,
                         boolean nearest, boolean rawInt8, boolean trace, String ssd) {
}

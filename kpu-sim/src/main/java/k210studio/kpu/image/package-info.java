/**
 * Image input the way MaixPy feeds a K210 model: decode JPEG/PNG/BMP
 * ({@link k210studio.kpu.image.ImageFiles}), resize ({@link k210studio.kpu.image.ImageResize}) and lay out
 * as planar uint8 RGB or gray ({@link k210studio.kpu.image.ModelImageInput}).
 */
package k210studio.kpu.image;

/**
 * Post-processing of model outputs: top-N classes with labels ({@link k210studio.kpu.post.TopN},
 * {@link k210studio.kpu.post.Labels}) and YOLOv2 region-layer decoding with NMS
 * ({@link k210studio.kpu.post.RegionLayer}), as the Kendryte demos and MaixPy do it.
 */
package k210studio.kpu.post;

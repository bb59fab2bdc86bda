package k210studio.ir.rules;

import k210studio.ir.tensor.TensorShape;

/**
 * KPU RAM used while one KPU layer runs: its input and output feature maps, both resident,
 * in 64-byte lines ({@link KpuLayout}).
 *
 * @param layerId   the group's conv (or the Dense) the KPU layer comes from
 * @param part      "" or, for a layer that becomes several KPU layers, which part ("depthwise", "pointwise")
 */
public record KpuLayerMemory(String layerId, String layerName, String part, TensorShape input, TensorShape output,
                             long inputBytes, long outputBytes) {
    public long totalBytes() {
        return inputBytes + outputBytes;
    }

    public boolean fits() {
        return totalBytes() <= KpuLayout.KPU_RAM_BYTES;
    }
}

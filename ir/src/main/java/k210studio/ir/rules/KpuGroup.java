package k210studio.ir.rules;

import java.util.List;
import k210studio.ir.tensor.TensorShape;

/**
 * Layers that become one KPU layer: [ZeroPadding2D] → Conv2D | DepthwiseConv2D |
 * SeparableConv2D → [BatchNormalization] → [activation] → [MaxPooling2D | AveragePooling2D].
 * Optional members are null. The studio draws a group as one box.
 *
 * @param id         the conv layer's id (a group is named after its conv)
 * @param layerIds   members in data-flow order
 * @param input      shape entering the group (before the absorbed padding)
 * @param output     shape leaving the group (after the absorbed pool)
 */
public record KpuGroup(String id, List<String> layerIds, String paddingId, String convId, String batchNormId,
                       String activationId, String poolId, TensorShape input, TensorShape output) {
    public KpuGroup {
        layerIds = List.copyOf(layerIds);
    }

    public boolean contains(String layerId) {
        return layerIds.contains(layerId);
    }
}

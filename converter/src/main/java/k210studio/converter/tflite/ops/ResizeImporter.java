package k210studio.converter.tflite.ops;

import java.util.Map;
import k210studio.converter.tflite.BuiltinOperator;
import k210studio.converter.tflite.ImportContext;
import k210studio.converter.tflite.TfliteFormatException;
import k210studio.converter.tflite.TfliteOp;
import k210studio.converter.tflite.UnsupportedOpException;
import k210studio.converter.tflite.schema.BuiltinOptionsType;
import k210studio.converter.tflite.schema.ResizeBilinearOptions;
import k210studio.converter.tflite.schema.ResizeNearestNeighborOptions;
import k210studio.ir.layer.Interpolation;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Resizing;
import k210studio.ir.layer.UpSampling2D;

/**
 * RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR. An integer up-scaling that Keras' UpSampling2D
 * computes identically (nearest without align_corners; bilinear with half-pixel centers) becomes
 * UpSampling2D; anything else a Resizing layer that keeps TF's align_corners/half_pixel_centers.
 */
public final class ResizeImporter implements OpImporter {

    @Override
    public int[] codes() {
        return new int[] {BuiltinOperator.RESIZE_BILINEAR, BuiltinOperator.RESIZE_NEAREST_NEIGHBOR};
    }

    @Override
    public void importOp(TfliteOp op, ImportContext ctx) throws UnsupportedOpException, TfliteFormatException {
        String x = ctx.activation(op, 0);
        int[] in = ConvImporter.image(op, ctx.inputShape(op, 0));
        int[] size = ctx.requireConstant(op, 1, "size").intValues();
        if (size.length != 2 || size[0] < 1 || size[1] < 1) {
            throw new UnsupportedOpException(op.label() + ": size must be two positive values, got " + java.util.Arrays.toString(size));
        }
        boolean bilinear = op.code() == BuiltinOperator.RESIZE_BILINEAR;
        boolean align;
        boolean half;
        if (bilinear) {
            ResizeBilinearOptions o = op.table().options(BuiltinOptionsType.RESIZE_BILINEAR, ResizeBilinearOptions::new);
            align = o != null && o.alignCorners();
            half = o != null && o.halfPixelCenters();
        } else {
            ResizeNearestNeighborOptions o = op.table().options(BuiltinOptionsType.RESIZE_NEAREST_NEIGHBOR, ResizeNearestNeighborOptions::new);
            align = o != null && o.alignCorners();
            half = o != null && o.halfPixelCenters();
        }
        boolean integer = size[0] % in[0] == 0 && size[1] % in[1] == 0 && size[0] >= in[0] && size[1] >= in[1];
        Interpolation mode = bilinear ? Interpolation.BILINEAR : Interpolation.NEAREST;
        LayerParams p;
        if (integer && !align && (!bilinear || half)) {
            p = new UpSampling2D(size[0] / in[0], size[1] / in[1], mode);
        } else {
            p = new Resizing(size[0], size[1], mode, align, half);
        }
        ctx.bindOutput(op, ctx.addLayer(op, p, Map.of(), ctx.notes(op), x));
    }
}

package k210studio.converter.quant;

/**
 * The zero-point terms of the KPU accumulator (kpu-arith.md §3.2, §4.4):
 * acc = Σxw + floor(argX·Σx / 2^shrX) + floor(argW·Σw / 2^shrW) + argAdd·C.
 * Naming trap: argX carries the weight offset, argW the input offset.
 */
public record KpuConvOffsets(long argX, int shrX, long argW, int shrW, long argAdd, int padValue) {

    /**
     * @param kernel 1 or 3
     * @param input  input quantization
     * @param weights weight quantization
     */
    public static KpuConvOffsets of(int kernel, QuantParam input, QuantParam weights, QuantRules rules) {
        int zx = input.zeroPoint();
        int zw = weights.zeroPoint();
        if (rules == QuantRules.V4) {
            return new KpuConvOffsets(-zw, 0, -zx, 0, (long) kernel * kernel * zw * zx, zx);
        }
        FixedMul ax = FixedMul.v3(weights.bias(), 24, 15);
        FixedMul aw = FixedMul.v3(input.bias(), 24, 15);
        long add = Rounding.halfEven((double) weights.bias() * input.bias() * kernel * kernel);
        return new KpuConvOffsets(ax.mul(), ax.shift(), aw.mul(), aw.shift(), add, (int) Rounding.halfEven(-input.bias()));
    }
}

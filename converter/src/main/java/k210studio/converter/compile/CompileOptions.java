package k210studio.converter.compile;

import java.util.HashMap;
import java.util.Map;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.quant.ValueRange;

/**
 * How to compile: the kmodel version (and with it nncase's quantization rules), the input preprocessing the board
 * will apply (x = (pixel − mean) / std, pixels 0…255), weight width, and when a Dense layer goes to the KPU.
 *
 * @param target              V3 (nncase 0.1.0-rc5 format and rules) or V4 (nncase 0.2.0-beta4)
 * @param mean                input mean in pixel units (x = (pixel − mean) / std)
 * @param std                 input std in pixel units
 * @param weightBits          8, or 16 (V3 only, like ncc {@code --weights-bits 16})
 * @param kpuDenseMinWeights  a Dense layer with at least this many weights runs as a 1×1 KPU conv on a 4×4 map
 *                            (nncase's default threshold is 1024); smaller ones run in float on the CPU
 * @param mainRamBudget       bytes of main RAM the model may use on the board (kmodel file + scratch buffer), see
 *                            {@link k210studio.ir.rules.MemoryBudget}
 * @param outputRanges        layer name → the output range to quantize that layer's output with, in place of the
 *                            calibrated one (a fix the quantization doctor suggests: a wider range than the
 *                            calibration images showed); empty for none
 */
public record CompileOptions(QuantRules target, float mean, float std, int weightBits, int kpuDenseMinWeights,
                             long mainRamBudget, Map<String, ValueRange> outputRanges) {

    /** Options without output-range overrides. */
    public CompileOptions(QuantRules target, float mean, float std, int weightBits, int kpuDenseMinWeights, long mainRamBudget) {
        this(target, mean, std, weightBits, kpuDenseMinWeights, mainRamBudget, Map.of());
    }

    public CompileOptions {
        outputRanges = outputRanges == null ? Map.of() : Map.copyOf(outputRanges);
        for (Map.Entry<String, ValueRange> e : outputRanges.entrySet()) {
            ValueRange r = e.getValue();
            if (!Float.isFinite(r.min()) || !Float.isFinite(r.max()) || !(r.max() > r.min())) {
                throw new IllegalArgumentException("the output range of '" + e.getKey() + "' must be two finite numbers, min < max; got " + r);
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("target is required (v3 or v4)");
        }
        if (!(std > 0)) {
            throw new IllegalArgumentException("--std must be > 0, got " + std);
        }
        if (weightBits != 8 && weightBits != 16) {
            throw new IllegalArgumentException("weights are 8 or 16 bits, got " + weightBits);
        }
        if (mainRamBudget <= 0) {
            throw new IllegalArgumentException("the main RAM budget must be positive");
        }
        if (weightBits == 16 && target == QuantRules.V4) {
            throw new IllegalArgumentException("16-bit weights exist only in kmodel V3 (nncase 0.1 --weights-bits 16)");
        }
    }

    /** Pixels scaled to [0, 1] (mean 0, std 255), 8-bit weights, nncase's Dense threshold. */
    public static CompileOptions defaults(QuantRules target) {
        return new CompileOptions(target, 0f, 255f, 8, 1024, k210studio.ir.rules.MemoryBudget.BARE_SDK.bytes());
    }

    public CompileOptions withPreprocessing(float m, float s) {
        return new CompileOptions(target, m, s, weightBits, kpuDenseMinWeights, mainRamBudget, outputRanges);
    }

    public CompileOptions withWeightBits(int bits) {
        return new CompileOptions(target, mean, std, bits, kpuDenseMinWeights, mainRamBudget, outputRanges);
    }

    public CompileOptions withKpuDenseMinWeights(int n) {
        return new CompileOptions(target, mean, std, weightBits, n, mainRamBudget, outputRanges);
    }

    public CompileOptions withMainRamBudget(long bytes) {
        return new CompileOptions(target, mean, std, weightBits, kpuDenseMinWeights, bytes, outputRanges);
    }

    /** These options with the output range of layer {@code name} set (replacing an earlier one). */
    public CompileOptions withOutputRange(String name, ValueRange r) {
        Map<String, ValueRange> m = new HashMap<>(outputRanges);
        m.put(name, r);
        return new CompileOptions(target, mean, std, weightBits, kpuDenseMinWeights, mainRamBudget, m);
    }

    /** These options with every output-range override replaced by {@code ranges}. */
    public CompileOptions withOutputRanges(Map<String, ValueRange> ranges) {
        return new CompileOptions(target, mean, std, weightBits, kpuDenseMinWeights, mainRamBudget, ranges);
    }

    /** The real range of the model input implied by the preprocessing: [(0 − mean)/std, (255 − mean)/std]. */
    public ValueRange inputRange() {
        return new ValueRange((0f - mean) / std, (255f - mean) / std);
    }
}

package k210studio.converter.compile;

import java.util.List;
import k210studio.ir.layer.ActivationFn;

/**
 * One step of a compiled K210 program, in execution order. Each kmodel writer maps every step kind it supports
 * to its own layer/op types; the memory planner only needs {@link #reads()} and {@link #writes()}.
 */
public sealed interface PlanStep {

    /** The IR layer the step comes from (for reports and errors). */
    String source();

    List<PlannedValue> reads();

    List<PlannedValue> writes();

    /** A fused KPU convolution; writes its KPU output and, optionally, a dense main-memory copy. */
    record KpuConv(String source, KpuConvPlan plan) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(plan.input());
        }

        public List<PlannedValue> writes() {
            return plan.mainOutput() == null ? List.of(plan.output()) : List.of(plan.output(), plan.mainOutput());
        }
    }

    /**
     * Copy a dense uint8 CHW map from main memory into KPU RAM, reading from {@code offset} bytes past the start of
     * {@code in} (a shifted view: offset W + 1 moves every pixel up and left by one).
     */
    record Upload(String source, PlannedValue in, PlannedValue out, int offset) implements PlanStep {
        public Upload(String source, PlannedValue in, PlannedValue out) {
            this(source, in, out, 0);
        }

        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** float32 → uint8 with {@code out.quant()}. */
    record Quantize(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** uint8 → float32 with {@code in.quant()}. */
    record Dequantize(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** float32 CHW → float32 HWC (TF's flatten order). */
    record FlattenHwc(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Float dense layer: out[j] = act(Σ_i in[i]·weights[j·inC + i] + bias[j]). */
    record FullyConnected(String source, PlannedValue in, PlannedValue out, float[] weights, float[] bias,
                          ActivationFn activation) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** A uint8 vector C×1×1 in main memory → pixel (0,0) of each channel of a 4×4 map in KPU RAM. */
    record AddPadding(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Pad (positive) or crop (negative) a uint8 CHW map in main memory; padding reads as the zero point. */
    record PadU8(String source, PlannedValue in, PlannedValue out, int top, int bottom, int left, int right) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /**
     * uint8 CHW in main memory: keeps rows {@code rowStart + step·i} and columns {@code colStart + step·j} for every
     * output row i and column j (a stride-2 depthwise conv computed at stride 1).
     */
    record StridedSliceU8(String source, PlannedValue in, PlannedValue out, int rowStart, int colStart, int step)
            implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Dense C×4×4 uint8 in main memory → C×1×1 (pixel (0,0) of each channel). */
    record RemovePadding(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** float32 mean over H×W per channel. */
    record GlobalAveragePool(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** float32 softmax over a vector. */
    record Softmax(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** float32 1/(1+e^−x). */
    record Logistic(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /**
     * float32 element-wise ReLU, ReLU6 or LeakyReLU of a value no KPU conv produced (e.g. after an Add or a
     * Concatenate); LeakyReLU uses {@code scratch} (same size) for α·x.
     */
    record CpuActivation(String source, PlannedValue in, PlannedValue out, PlannedValue scratch, ActivationFn fn)
            implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return scratch == null ? List.of(out) : List.of(scratch, out);
        }
    }

    /** float32 element-wise a + b. */
    record Add(String source, PlannedValue a, PlannedValue b, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(a, b);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Channel concatenation of CHW tensors (a byte concatenation). */
    record Concat(String source, List<PlannedValue> ins, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return ins;
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Pooling on the CPU (max on uint8, average on float32), TF geometry with leading pads. */
    record Pool(String source, boolean max, PlannedValue in, PlannedValue out, int kernelH, int kernelW, int strideH,
                int strideW, int padTop, int padLeft) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /**
     * A float convolution on the CPU (V4 conv2d, NCHW) for kernels the KPU cannot run (5×5, 7×7, dilation, stride 3+).
     * Weights [oc][ic/groups][kh][kw]; {@code clamp} is the fused activation (linear, ReLU or ReLU6).
     */
    record CpuConv(String source, PlannedValue in, PlannedValue out, float[] weights, float[] bias, int groups,
                   int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
                   int padTop, int padBottom, int padLeft, int padRight, ActivationFn clamp) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }

    /** Nearest-neighbour resize, src = min(floor(dst · in/out), in − 1). */
    record ResizeNearest(String source, PlannedValue in, PlannedValue out) implements PlanStep {
        public List<PlannedValue> reads() {
            return List.of(in);
        }

        public List<PlannedValue> writes() {
            return List.of(out);
        }
    }
}

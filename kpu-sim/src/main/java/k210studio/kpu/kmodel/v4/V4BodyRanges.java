package k210studio.kpu.kmodel.v4;

import java.util.LinkedHashMap;
import java.util.Map;
import k210studio.kpu.kmodel.v4.body.BinaryBody;
import k210studio.kpu.kmodel.v4.body.ConcatBody;
import k210studio.kpu.kmodel.v4.body.Conv2dBody;
import k210studio.kpu.kmodel.v4.body.Conv2dTransposeBody;
import k210studio.kpu.kmodel.v4.body.CpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuQuantizedDepthwiseConv2dBody;
import k210studio.kpu.kmodel.v4.body.CpuReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.DequantizeBody;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MatmulBody;
import k210studio.kpu.kmodel.v4.body.MemoryCopyBody;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;
import k210studio.kpu.kmodel.v4.body.PadBody;
import k210studio.kpu.kmodel.v4.body.QuantizeBody;
import k210studio.kpu.kmodel.v4.body.QuantizedBinaryBody;
import k210studio.kpu.kmodel.v4.body.QuantizedConv2dBody;
import k210studio.kpu.kmodel.v4.body.QuantizedMatmulBody;
import k210studio.kpu.kmodel.v4.body.ReduceBody;
import k210studio.kpu.kmodel.v4.body.ReduceWindow2dBody;
import k210studio.kpu.kmodel.v4.body.ResizeImageBody;
import k210studio.kpu.kmodel.v4.body.SoftmaxBody;
import k210studio.kpu.kmodel.v4.body.StridedSliceBody;
import k210studio.kpu.kmodel.v4.body.TableLookup1dBody;
import k210studio.kpu.kmodel.v4.body.TransposeBody;
import k210studio.kpu.kmodel.v4.body.UnaryBody;
import k210studio.kpu.kmodel.v4.body.V4Body;

/** The memory ranges a body reads and writes, by field name (for checks, dumps and traces). */
public final class V4BodyRanges {
    private V4BodyRanges() {
    }

    /** Field name to range, inputs first, "output" (or the written ranges) last. */
    public static Map<String, MemoryRange> of(V4Body body) {
        Map<String, MemoryRange> m = new LinkedHashMap<>();
        if (body instanceof BinaryBody b) {
            m.put("input_a", b.inputA());
            m.put("input_b", b.inputB());
            m.put("output", b.output());
        } else if (body instanceof ConcatBody b) {
            for (int i = 0; i < b.inputs().size(); i++) {
                m.put("inputs[" + i + "]", b.inputs().get(i));
            }
            m.put("output", b.output());
        } else if (body instanceof Conv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof DequantizeBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof QuantizeBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof MatmulBody b) {
            m.put("input_a", b.inputA());
            m.put("input_b", b.inputB());
            m.put("output", b.output());
        } else if (body instanceof PadBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof ReduceBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof ReduceWindow2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof MemoryCopyBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof ResizeImageBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof SoftmaxBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof TransposeBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof StridedSliceBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof UnaryBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof QuantizedConv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof QuantizedMatmulBody b) {
            m.put("input_a", b.inputA());
            m.put("input_b", b.inputB());
            m.put("output", b.output());
        } else if (body instanceof QuantizedBinaryBody b) {
            m.put("input_a", b.inputA());
            m.put("input_b", b.inputB());
            m.put("output", b.output());
        } else if (body instanceof TableLookup1dBody b) {
            m.put("input", b.input());
            m.put("table", b.table());
            m.put("output", b.output());
        } else if (body instanceof Conv2dTransposeBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof NnilUnaryMethodBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof CpuConv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof CpuDepthwiseConv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof CpuReduceWindow2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof CpuQuantizedConv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof CpuQuantizedDepthwiseConv2dBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof KpuUploadBody b) {
            io(m, b.input(), b.output());
        } else if (body instanceof KpuConv2dBody b) {
            if (b.hasMainMemOutput()) {
                m.put("main_mem_output", b.mainMemOutput());
            }
        }
        return m;
    }

    private static void io(Map<String, MemoryRange> m, MemoryRange in, MemoryRange out) {
        m.put("input", in);
        m.put("output", out);
    }
}

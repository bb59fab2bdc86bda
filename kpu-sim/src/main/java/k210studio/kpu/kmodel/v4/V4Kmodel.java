package k210studio.kpu.kmodel.v4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.runtime.V4Interpreter;

/**
 * A kmodel V4 behind the version-independent {@link Kmodel} API. V4 stores no output shapes: outputs
 * are flat unless shapes are set with {@link #withOutputShapes} (MaixPy's {@code kpu.set_outputs}).
 */
public final class V4Kmodel implements Kmodel {
    private final V4Model model;
    private final List<int[]> outputShapes;

    public V4Kmodel(V4Model model) {
        this(model, List.of());
    }

    private V4Kmodel(V4Model model, List<int[]> outputShapes) {
        this.model = model;
        this.outputShapes = outputShapes;
    }

    /** Parses V4 bytes. */
    public static V4Kmodel read(byte[] bytes) throws KmodelFormatException {
        return new V4Kmodel(V4Reader.read(bytes));
    }

    /**
     * The same model whose outputs have the given shapes (one per output, in order; null keeps an
     * output flat). Each shape's element count must equal the output's.
     */
    public V4Kmodel withOutputShapes(List<int[]> shapes) throws KmodelFormatException {
        List<int[]> copy = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            if (i >= model.outputs().size()) {
                throw new KmodelFormatException("kmodel V4: " + shapes.size() + " output shapes given but the model has "
                        + model.outputs().size() + " output(s)");
            }
            if (s != null) {
                long n = 1;
                for (int d : s) {
                    if (d < 1) {
                        throw new KmodelFormatException("kmodel V4 output " + i + ": shape " + Arrays.toString(s)
                                + " has a dimension below 1");
                    }
                    n *= d;
                }
                MemoryRange r = model.outputs().get(i);
                if (n != r.elements()) {
                    throw new KmodelFormatException("kmodel V4 output " + i + ": shape " + Arrays.toString(s) + " holds "
                            + n + " elements but the output holds " + r.elements() + " (" + r + ")");
                }
            }
            copy.add(s == null ? null : s.clone());
        }
        return new V4Kmodel(model, copy);
    }

    public V4Model model() {
        return model;
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public List<TensorDescription> inputs() {
        List<TensorDescription> out = new ArrayList<>();
        for (int i = 0; i < model.inputs().size(); i++) {
            MemoryRange r = model.inputs().get(i);
            Shape4 s = model.inputShapes().get(i);
            List<Integer> shape = List.of(s.d0(), s.d1(), s.d2(), s.d3());
            long bytes = r.memoryType() == MemoryType.KPU ? Math.max(0, s.product()) : r.size();
            out.add(new TensorDescription("input " + i, type(r), shape, bytes, "NCHW"));
        }
        return out;
    }

    @Override
    public List<TensorDescription> outputs() {
        List<TensorDescription> out = new ArrayList<>();
        for (int i = 0; i < model.outputs().size(); i++) {
            MemoryRange r = model.outputs().get(i);
            int[] s = i < outputShapes.size() ? outputShapes.get(i) : null;
            List<Integer> shape = new ArrayList<>();
            if (s != null) {
                for (int d : s) {
                    shape.add(d);
                }
            }
            out.add(new TensorDescription("output " + i, type(r), shape, r.elements() * r.dataType().bytes(),
                    s == null ? "flat" : "as set"));
        }
        return out;
    }

    private static ElementType type(MemoryRange r) {
        return r.dataType() == DataType.FLOAT32 ? ElementType.FLOAT32 : ElementType.UINT8;
    }

    @Override
    public int layerCount() {
        return model.nodes().size();
    }

    @Override
    public String layerTypeName(int i) {
        return model.nodes().get(i).opcode().spelling();
    }

    @Override
    public long mainMemoryUsage() {
        return model.mainMemSize();
    }

    /**
     * Multiply-accumulates of one inference: KPU convs at full input resolution (all batches), float
     * and quantized conv2d / conv2d_transpose / matmul and the CPU convs. Corrupt shape fields give a
     * saturated count, never an exception.
     */
    @Override
    public long multiplyAccumulates() {
        long total = 0;
        for (V4Node n : model.nodes()) {
            total = sat(total, V4Macs.of(n.body()));
        }
        return total;
    }

    private static long sat(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public byte[] toBytes() {
        return V4Writer.write(model);
    }

    @Override
    public KmodelRuntime newRuntime(RunOptions options) throws KmodelFormatException {
        V4Interpreter interpreter = new V4Interpreter(model, options, outputShapes);
        Kmodel self = this;
        return new KmodelRuntime() {
            @Override
            public Kmodel model() {
                return self;
            }

            @Override
            public RunResult run(List<KmodelTensor> inputs) throws KmodelFormatException {
                return interpreter.run(inputs);
            }
        };
    }

    @Override
    public String toString() {
        return "kmodel V4 (" + model.nodes().size() + " nodes)";
    }
}

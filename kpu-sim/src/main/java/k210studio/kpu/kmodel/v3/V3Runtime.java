package k210studio.kpu.kmodel.v3;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.ExecutionUnit;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.KpuRules;
import k210studio.kpu.kmodel.LayerTrace;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;

/**
 * Runs a {@link V3Model} the way the K210 standalone SDK's {@code kpu.c} does (kmodel-v3.md §8):
 * one main-memory buffer of exactly {@code main_mem_usage} bytes, the 2 MiB KPU RAM, the input
 * either uploaded into KPU RAM at the first conv's {@code image_src_addr} (row layout of §6.1) or
 * copied as float32 to the first FULLY_CONNECTED's input address (SDK V0.5.7+), then every layer in
 * order. CPU layers follow the SDK arithmetic ({@link V3CpuLayers}); K210_CONV runs on the
 * simulated KPU with the selected rule set (RC5 by default for V3).
 *
 * <p>Safety: main memory is limited to {@link #MAX_MAIN_MEMORY} bytes; every address range a layer
 * touches is checked before it runs, and the work a layer declares is charged against
 * {@link RunOptions#workBudget()} before it runs. Violations raise {@link KmodelFormatException}
 * naming the layer, the field and the body offset.
 *
 * <p>Trace: every layer gets a {@link LayerTrace}: KPU layers carry the chip's cycle estimate
 * (kpu-arith.md §7, KPU clock); CPU layers a rough 4 cycles per elementary operation (one element
 * read/written or one MAC on the 400 MHz RISC-V core). {@code kpuRamBytes} is the footprint of the
 * feature maps live in KPU RAM after the layer (the input image, uploads and conv outputs; a conv's
 * input is released when the conv consumes it).
 *
 * <p>Where this differs from SDK V0.5.6: FULLY_CONNECTED applies its activation (V0.5.7+; the
 * published iris result needs it) and may be the first layer; MAX_POOL2D (7), which kpu.c rejects,
 * runs as a float max pool over the valid taps with the body's activation; QUANTIZED_ADD processes
 * exactly {@code count} elements (the SDK's 8-element loop touches up to 7 more).
 */
public final class V3Runtime implements KmodelRuntime {
    /** Largest main memory a V3 model may ask for: the K210's 8 MiB of SRAM. */
    public static final long MAX_MAIN_MEMORY = 8L << 20;

    private final V3Model model;
    private final RunOptions options;
    private final KpuRules rules;
    private final byte[] main;
    private final long[] bodyOffsets;
    final V3Kpu kpu;
    private long workLeft;

    V3Runtime(V3Model model, RunOptions options) throws KmodelFormatException {
        this.model = model;
        this.options = options == null ? RunOptions.defaults() : options;
        this.rules = this.options.rules().resolve(3);
        if (model.mainMemUsage() > MAX_MAIN_MEMORY) {
            throw new KmodelFormatException(20, "header main_mem_usage", "asks for " + model.mainMemUsage()
                    + " bytes of main memory; the K210 has 8 MiB of SRAM (limit " + MAX_MAIN_MEMORY + ")");
        }
        for (int i = 0; i < model.outputTable().size(); i++) {
            V3Output o = model.outputTable().get(i);
            if (o.address() + o.size() > model.mainMemUsage()) {
                throw new KmodelFormatException(V3Reader.HEADER_BYTES + 8L * i, "output[" + i + "]", "range "
                        + o.address() + "+" + o.size() + " lies outside main memory (" + model.mainMemUsage()
                        + " bytes)");
            }
        }
        int last = model.layerCount() - 1;
        if (model.layer(last).body() instanceof K210ConvBody lc && !lc.mainMemoryOutput()) {
            throw new KmodelFormatException(model.bodyOffsets()[last], "layer " + last + " (K210_CONV) flags",
                    "the last layer is a K210_CONV without KLF_MAIN_MEM_OUT: its result never reaches main memory and"
                            + " kpu.c would step past the last layer; set flags bit 0 and main_mem_out_address");
        }
        if (model.layer(0).body() instanceof K210ConvBody c) {
            try {
                k210studio.kpu.chip.KpuRam.checkMap("input map of the first K210_CONV", c.inputLine(), c.inChannels(),
                        c.inHeight(), c.inWidth(), 1);
            } catch (KmodelFormatException e) {
                throw new KmodelFormatException(model.bodyOffsets()[0], "layer 0 (K210_CONV) image_addr",
                        e.getMessage());
            }
        }
        this.main = new byte[(int) model.mainMemUsage()];
        this.bodyOffsets = model.bodyOffsets();
        this.kpu = new V3Kpu(model.eightBitWeights(), rules);
    }

    @Override
    public V3Model model() {
        return model;
    }

    /** The rule set in use (RC5 unless the options chose otherwise). */
    public KpuRules rules() {
        return rules;
    }

    @Override
    public RunResult run(List<KmodelTensor> inputs) throws KmodelFormatException {
        workLeft = options.workBudget();
        List<TensorDescription> in = model.inputs();
        if (in.isEmpty()) {
            throw new KmodelFormatException(bodyOffsets[0], "layer 0 (" + model.layer(0).type() + ")",
                    "the first layer must be K210_CONV (image input) or FULLY_CONNECTED (float input) for the SDK"
                            + " runtime to feed the model");
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("a kmodel V3 has one input, got " + inputs.size());
        }
        KmodelTensor input = inputs.get(0);
        TensorDescription d = in.get(0);
        if (input.type() != d.type() || input.elementCount() != d.elementCount()) {
            throw new IllegalArgumentException("the model wants a " + d.type() + " input of shape " + d.shape()
                    + " (" + d.elementCount() + " values), got " + input.type() + " with " + input.elementCount()
                    + " values");
        }
        V3LayerBody first = model.layer(0).body();
        if (first instanceof K210ConvBody c) {
            charge(0, "input upload", input.byteSize());
            kpu.uploadInput(c, input.bytes(), 0);
        } else {
            FullyConnectedBody f = (FullyConnectedBody) first;
            range(0, "in", 4, f.in(), input.byteSize());
            System.arraycopy(input.bytes(), 0, main, (int) f.in(), input.byteSize());
        }
        List<LayerTrace> trace = new ArrayList<>();
        V3CpuLayers cpu = new V3CpuLayers(main);
        for (int i = 0; i < model.layerCount(); i++) {
            V3LayerBody b = model.layer(i).body();
            LayerTrace t = b instanceof K210ConvBody ? runConv(i, (K210ConvBody) b) : runCpu(i, b, cpu);
            trace.add(t);
        }
        List<KmodelTensor> outs = new ArrayList<>();
        List<TensorDescription> descs = model.outputs();
        for (int i = 0; i < descs.size(); i++) {
            V3Output o = model.outputTable().get(i);
            TensorDescription od = descs.get(i);
            outs.add(KmodelTensor.ofBytes(od.type(), toArray(od.shape()), main, (int) o.address(), (int) o.size()));
        }
        return new RunResult(outs, trace);
    }

    private static int[] toArray(List<Integer> l) {
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    // ---------------------------------------------------------------- checks

    private String where(int layer) {
        return "layer " + layer + " (" + model.layer(layer).type() + ") ";
    }

    /** Charges declared work against the budget. */
    void charge(int layer, String what, long ops) throws KmodelFormatException {
        if (ops < 0 || ops > workLeft) {
            throw new KmodelFormatException(bodyOffsets[layer], where(layer) + what, "declares about "
                    + (ops < 0 ? "more than 2^63" : String.valueOf(ops)) + " operations, more than the "
                    + workLeft + " left in this run's work budget; the body fields are corrupt (or raise"
                    + " RunOptions.workBudget)");
        }
        workLeft -= ops;
    }

    /** Checks that main-memory range [addr, addr+bytes) lies inside main memory. */
    void range(int layer, String field, int fieldOffset, long addr, long bytes) throws KmodelFormatException {
        if (bytes < 0 || addr < 0 || addr + bytes > main.length) {
            throw new KmodelFormatException(bodyOffsets[layer] + fieldOffset, where(layer) + field, "main-memory range "
                    + addr + ".." + (addr + bytes) + " lies outside main memory (main_mem_usage " + main.length
                    + " bytes)");
        }
    }

    /** A format error at a body field of layer {@code layer}. */
    KmodelFormatException error(int layer, int fieldOffset, String field, String problem) {
        return new KmodelFormatException(bodyOffsets[layer] + fieldOffset, where(layer) + field, problem);
    }

    /** Saturating a*b for non-negative values. */
    static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        if (a > Long.MAX_VALUE / b) {
            return Long.MAX_VALUE;
        }
        return a * b;
    }

    // ---------------------------------------------------------------- KPU layers

    private LayerTrace runConv(int i, K210ConvBody c) throws KmodelFormatException {
        long k = c.kernelSize();
        long macs = mul(mul((long) c.inWidth() * c.inHeight(), c.depthwise() ? c.outChannels()
                : (long) c.inChannels() * c.outChannels()), k * k);
        charge(i, "conv", macs + (long) c.inWidth() * c.inHeight() * c.outChannels());
        kpu.checkConv(this, i, c, bodyOffsets[i]);
        if (c.mainMemoryOutput()) {
            long bytes = (long) c.outWidth() * c.outHeight() * c.outChannels();
            range(i, "main_mem_out_address", 4, c.mainMemOutAddress(), bytes);
        }
        long cycles = kpu.runConv(this, i, c, main);
        KmodelTensor snap = null;
        if (options.traceOutputs()) {
            snap = kpu.snapshotOutput(c);
        }
        return new LayerTrace(i, V3LayerType.K210_CONV.name(), ExecutionUnit.KPU, snap, cycles, kpu.occupiedBytes());
    }

    private LayerTrace runCpu(int i, V3LayerBody b, V3CpuLayers cpu) throws KmodelFormatException {
        long ops = cpu.run(this, i, b, kpu);
        KmodelTensor snap = options.traceOutputs() ? cpu.snapshot(b, kpu) : null;
        ExecutionUnit unit = ExecutionUnit.CPU;
        // CPU estimate: ~4 cycles per elementary operation at 400 MHz (rough; float ops on the K210 FPU)
        return new LayerTrace(i, b.type().name(), unit, snap, 4 * ops, kpu.occupiedBytes());
    }

    static ElementType u8() {
        return ElementType.UINT8;
    }
}

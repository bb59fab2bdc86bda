package k210studio.converter.compile;

import java.util.ArrayList;
import java.util.List;
import k210studio.converter.memory.MemoryPlan;
import k210studio.converter.memory.Placement;

/**
 * What a compile produced, as data for the CLI's {@code --report} JSON and the studio's memory charts: the steps
 * with where their inputs and outputs live, the KPU RAM and main-memory plans, and the totals.
 *
 * @param target          "v3" or "v4"
 * @param mean            preprocessing mean (pixel units)
 * @param std             preprocessing std (pixel units)
 * @param calibrationImages number of calibration samples
 * @param fileBytes       size of the written kmodel
 * @param kpuPeakBytes    most KPU RAM live at once
 * @param mainBytes       the kmodel's main-memory scratch size
 * @param steps           one entry per step
 * @param kpuBuffers      every KPU RAM buffer with its lifetime
 * @param mainBuffers     every main-memory buffer with its lifetime
 * @param notes           remarks (input format, preprocessing)
 * @param layers          every kmodel layer (V3) / node (V4): the value it writes and the IR tensor that value holds
 *                        ({@link LayerTensorMap}), so that {@code k210 compare --report} needs no guessing
 * @param saturatedOutputs output layers whose quantized range clips some calibration samples (empty when none)
 */
public record CompileReport(String target, float mean, float std, int calibrationImages, long fileBytes, long kpuPeakBytes,
                            long mainBytes, List<Step> steps, List<Buffer> kpuBuffers,
                            List<Buffer> mainBuffers, List<String> notes, List<KmodelLayer> layers,
                            List<OutputSaturation> saturatedOutputs) {

    /**
     * One kmodel layer/node: the step it was emitted for, the value it writes (name, memory "kpu" or "main", element
     * type, C×H×W, and for uint8 the quantization real = (q − zeroPoint) / scale) and the IR layer whose output that
     * value holds (null: none).
     */
    public record KmodelLayer(int index, int step, String value, String memory, String type, int c, int h, int w, Double scale,
                              Integer zeroPoint, String tensor) {
    }

    /** One step: its kind, where it comes from, whether the KPU runs it, and the bytes it reads and writes. */
    public record Step(int index, String op, String layer, boolean kpu, List<Access> inputs, List<Access> outputs,
                       long kpuLiveBytes, long kpuFragmentationBytes) {
    }

    /** A tensor a step touches: memory ("kpu" or "main"), byte address, byte size, element type. */
    public record Access(String name, String memory, long address, long bytes, String type) {
    }

    /** A placed buffer: byte address and size, first and last step it is live. */
    public record Buffer(String name, long address, long bytes, int firstStep, int lastStep) {
    }

    static CompileReport of(CompileOptions opt, K210Program program, MemoryPlanner.Result memory, int images, long fileBytes,
                            LayerTensorMap map, List<OutputSaturation> saturated) {
        List<Step> steps = new ArrayList<>();
        List<PlanStep> ps = program.steps();
        for (int i = 0; i < ps.size(); i++) {
            PlanStep s = ps.get(i);
            steps.add(new Step(i, opName(s), s.source(), s instanceof PlanStep.KpuConv, access(s.reads()), access(s.writes()),
                    memory.kpu().liveAt(i) * 64, memory.kpu().fragmentationAt(i) * 64));
        }
        return new CompileReport(opt.target().name().toLowerCase(), opt.mean(), opt.std(), images, fileBytes,
                memory.kpu().peak() * 64, (memory.main().extent() + 7) / 8 * 8, steps, buffers(memory.kpu(), 64), buffers(memory.main(), 1),
                program.notes(), layers(map), List.copyOf(saturated));
    }

    private static List<KmodelLayer> layers(LayerTensorMap map) {
        List<KmodelLayer> out = new ArrayList<>();
        for (LayerTensorMap.Entry e : map.layers()) {
            PlannedValue v = e.value();
            if (v == null) {
                out.add(new KmodelLayer(e.layer(), e.step(), null, null, null, 0, 0, 0, null, null, null));
                continue;
            }
            boolean f32 = v.storage() == Storage.MAIN_F32;
            out.add(new KmodelLayer(e.layer(), e.step(), v.name(), v.storage() == Storage.KPU ? "kpu" : "main", f32 ? "float32" : "uint8",
                    v.c(), v.h(), v.w(), f32 ? null : v.quant().scale(), f32 ? null : v.quant().zeroPoint(), e.tensor()));
        }
        return out;
    }

    /** The layer map back from a report's {@link #layers()} (values carry what a comparison needs: geometry, quantization). */
    public LayerTensorMap layerMap() {
        List<LayerTensorMap.Entry> out = new ArrayList<>();
        for (KmodelLayer l : layers) {
            PlannedValue v = null;
            if (l.value() != null) {
                Storage s = "kpu".equals(l.memory()) ? Storage.KPU : "float32".equals(l.type()) ? Storage.MAIN_F32 : Storage.MAIN_U8;
                v = new PlannedValue(l.value(), s, l.c(), l.h(), l.w(),
                        s == Storage.MAIN_F32 ? null : new k210studio.converter.quant.QuantParam(l.scale(), l.zeroPoint(), 8));
            }
            String source = l.step() >= 0 && l.step() < steps.size() ? steps.get(l.step()).layer() : null;
            out.add(new LayerTensorMap.Entry(l.index(), l.step(), source, v, l.tensor()));
        }
        return new LayerTensorMap(out);
    }

    static String opName(PlanStep s) {
        String n = s.getClass().getSimpleName();
        StringBuilder b = new StringBuilder();
        for (char c : n.toCharArray()) {
            if (Character.isUpperCase(c) && b.length() > 0) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static List<Access> access(List<PlannedValue> vs) {
        List<Access> out = new ArrayList<>();
        for (PlannedValue v : vs) {
            boolean kpu = v.storage() == Storage.KPU;
            out.add(new Access(v.name(), kpu ? "kpu" : "main", kpu ? v.address() * 64 : v.address(), v.bytes(),
                    v.storage() == Storage.MAIN_F32 ? "float32" : "uint8"));
        }
        return out;
    }

    private static List<Buffer> buffers(MemoryPlan plan, int unit) {
        List<Buffer> out = new ArrayList<>();
        for (Placement p : plan.placements()) {
            String name = p.request().name();
            int hash = name.lastIndexOf('#');
            out.add(new Buffer(hash > 0 ? name.substring(0, hash) : name, p.address() * unit, p.request().size() * unit,
                    p.request().firstUse(), p.request().lastUse()));
        }
        return out;
    }
}

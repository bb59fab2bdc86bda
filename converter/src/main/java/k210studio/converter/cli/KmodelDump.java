package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.chip.KpuActivationSegment;
import k210studio.kpu.chip.KpuActivationTable;
import k210studio.kpu.chip.KpuBatchNorm;
import k210studio.kpu.chip.KpuField;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.TensorDescription;
import k210studio.kpu.kmodel.layout.FieldValue;
import k210studio.kpu.kmodel.v3.K210ConvBody;
import k210studio.kpu.kmodel.v3.V3BodyLayouts;
import k210studio.kpu.kmodel.v3.V3Layer;
import k210studio.kpu.kmodel.v3.V3LayerBody;
import k210studio.kpu.kmodel.v3.V3MemoryRange;
import k210studio.kpu.kmodel.v3.V3Model;
import k210studio.kpu.kmodel.v3.V3Output;
import k210studio.kpu.kmodel.v3.V3Shape;
import k210studio.kpu.kmodel.v4.V4Kmodel;

/**
 * What {@code ./k210 dump} shows for a kmodel: a JSON tree
 * ({@code {"version","layers":[{"index","type","bodySize",...}],"outputs":[{"address","size"}],"mainMemUsage"}})
 * or the same as text. V3 layers list every body field of their declaration in V3BodyLayouts (arrays as their length); K210_CONV adds the
 * decoded registers: kernel, shapes, KPU lines, pool type and the quantisation arguments. Other
 * versions show the version-independent view of {@link Kmodel}.
 */
public final class KmodelDump {
    private static final String[] POOLS = {"none", "max2x2/s2", "avg2x2/s2", "max4x4/s4", "avg4x4/s4",
        "lefttop(stride-2 conv)", "6?", "7?", "avg2x2/s1", "max2x2/s1"};

    private KmodelDump() {
    }

    public static ObjectNode json(Kmodel m, ObjectMapper om) {
        return json(m, om, false);
    }

    /** As {@link #json(Kmodel, ObjectMapper)}; {@code verbose} adds every BN entry and activation segment of each conv. */
    public static ObjectNode json(Kmodel m, ObjectMapper om, boolean verbose) {
        if (m instanceof V4Kmodel v4) {
            return V4KmodelDump.json(v4, om);
        }
        ObjectNode root = om.createObjectNode();
        root.put("version", m.version());
        if (m instanceof V3Model v3) {
            root.put("flags", v3.flags());
            root.put("weightBits", v3.eightBitWeights() ? 8 : 16);
            root.put("arch", 0);
            root.put("maxStartAddress", v3.maxStartAddress());
            root.put("missingTrailingBytes", v3.missingTrailingBytes());
            root.put("kpuRamBytes", Math.max(0, (32768 - v3.maxStartAddress()) * 64));
        }
        root.put("mainMemUsage", m.mainMemoryUsage());
        ArrayNode ins = root.putArray("inputs");
        for (TensorDescription d : m.inputs()) {
            ins.add(description(d, om));
        }
        ArrayNode outs = root.putArray("outputs");
        List<TensorDescription> descs = m.outputs();
        for (int i = 0; i < descs.size(); i++) {
            ObjectNode o = description(descs.get(i), om);
            if (m instanceof V3Model v3) {
                V3Output t = v3.outputTable().get(i);
                o.put("address", t.address());
                o.put("size", t.size());
            } else {
                o.put("size", descs.get(i).byteSize());
            }
            outs.add(o);
        }
        ArrayNode layers = root.putArray("layers");
        if (m instanceof V3Model v3) {
            long[] offsets = v3.bodyOffsets();
            for (int i = 0; i < v3.layerCount(); i++) {
                ObjectNode l = v3Layer(i, offsets[i], v3.layer(i), v3.eightBitWeights(), om);
                if (verbose && v3.layer(i).body() instanceof K210ConvBody c) {
                    tablesJson((ObjectNode) l.get("conv"), c);
                }
                layers.add(l);
            }
        } else {
            for (int i = 0; i < m.layerCount(); i++) {
                ObjectNode l = om.createObjectNode();
                l.put("index", i);
                l.put("type", m.layerTypeName(i));
                layers.add(l);
            }
        }
        return root;
    }

    private static ObjectNode description(TensorDescription d, ObjectMapper om) {
        ObjectNode o = om.createObjectNode();
        o.put("name", d.name());
        o.put("dtype", d.type().name().toLowerCase(Locale.ROOT));
        ArrayNode s = o.putArray("shape");
        d.shape().forEach(s::add);
        o.put("layout", d.layout());
        return o;
    }

    static ObjectNode v3Layer(int index, long offset, V3Layer layer, boolean eightBit, ObjectMapper om) {
        ObjectNode l = om.createObjectNode();
        V3LayerBody b = layer.body();
        l.put("index", index);
        l.put("type", b.type().name());
        l.put("code", b.type().code());
        l.put("offset", offset);
        l.put("bodySize", layer.bodySize());
        for (FieldValue f : V3BodyLayouts.values(b)) {
            Object v = f.value();
            String n = f.component();
            if (putNumber(l, n, v)) {
                continue;
            }
            if (v instanceof V3Shape s) {
                ObjectNode sn = l.putObject(n);
                sn.put("width", s.width());
                sn.put("height", s.height());
                sn.put("channels", s.channels());
            } else if (v instanceof List<?> list) {
                ArrayNode a = l.putArray(n);
                for (Object e : list) {
                    if (e instanceof V3MemoryRange r) {
                        a.addObject().put("start", r.start()).put("size", r.size());
                    }
                }
            } else if (v instanceof byte[] arr) {
                l.put(n + "Bytes", arr.length);
            } else if (v instanceof float[] arr) {
                l.put(n + "Count", arr.length);
            } else if (v instanceof long[] arr && !(b instanceof K210ConvBody)) {
                l.put(n + "Count", arr.length);
            }
        }
        if (b instanceof K210ConvBody c) {
            ObjectNode k = l.putObject("conv");
            k.put("mainMemoryOutput", c.mainMemoryOutput());
            k.put("depthwise", c.depthwise());
            k.put("kernel", c.kernelSize());
            k.put("inWidth", c.inWidth());
            k.put("inHeight", c.inHeight());
            k.put("inChannels", c.inChannels());
            k.put("outWidth", c.outWidth());
            k.put("outHeight", c.outHeight());
            k.put("outChannels", c.outChannels());
            k.put("inputLine", c.inputLine());
            k.put("outputLine", c.outputLine());
            k.put("poolType", c.poolType());
            k.put("pool", c.poolType() < POOLS.length ? POOLS[c.poolType()] : "?");
            k.put("padValue", c.padValue());
            k.put("argX", c.argX());
            k.put("shrX", c.shrX());
            k.put("argW", c.argW());
            k.put("shrW", c.shrW());
            k.put("argAdd", c.argAdd());
            k.put("loadTime", c.loadTime());
            k.put("paraSize", c.paraSize());
            k.put("outChannelsPerLoad", c.outChannelsPerLoad());
            k.put("weightBytes", c.weightCount() * (eightBit ? 1 : 2));
            ArrayNode regs = k.putArray("registers");
            for (long w : c.layerArgument()) {
                regs.add(String.format("0x%016x", w));
            }
        }
        return l;
    }

    private static void tablesJson(ObjectNode conv, K210ConvBody c) {
        ArrayNode bn = conv.putArray("batchNorm");
        for (long w : c.batchNorm()) {
            KpuBatchNorm b = KpuBatchNorm.fromWord(w);
            bn.addObject().put("mul", b.mul()).put("add", b.add()).put("shift", b.shift());
        }
        ArrayNode act = conv.putArray("activation");
        try {
            KpuActivationTable t = KpuActivationTable.fromWords(c.activation());
            for (int i = 0; i < KpuActivationTable.SEGMENTS; i++) {
                KpuActivationSegment g = t.segment(i);
                act.addObject().put("xStart", g.xStart()).put("yMul", g.yMul()).put("shift", g.shift())
                        .put("bias", g.bias());
            }
        } catch (IllegalArgumentException e) {
            conv.put("activationError", e.getMessage());
        }
    }

    private static String tablesText(K210ConvBody c) {
        StringBuilder s = new StringBuilder();
        long[] regs = c.layerArgument();
        for (int i = 0; i < regs.length; i++) {
            s.append(String.format("      %-22s 0x%016x%n", KpuField.WORD_NAMES[i], regs[i]));
        }
        long[] bn = c.batchNorm();
        for (int o = 0; o < bn.length; o++) {
            KpuBatchNorm b = KpuBatchNorm.fromWord(bn[o]);
            s.append(String.format("      bn[%d]: norm_mul=%d norm_add=%d norm_shift=%d%n", o, b.mul(), b.add(), b.shift()));
        }
        try {
            KpuActivationTable t = KpuActivationTable.fromWords(c.activation());
            for (int i = 0; i < KpuActivationTable.SEGMENTS; i++) {
                KpuActivationSegment g = t.segment(i);
                s.append(String.format("      act[%2d]: start_x=%d y_mul=%d shift=%d bias=%d%n", i, g.xStart(), g.yMul(),
                        g.shift(), g.bias()));
            }
        } catch (IllegalArgumentException e) {
            s.append("      activation table: ").append(e.getMessage()).append('\n');
        }
        return s.toString();
    }

    /** The text form. */
    public static String text(Kmodel m, String file) {
        return text(m, file, false);
    }

    /** The text form; {@code verbose} adds the raw register words, BN entries and activation segments of each conv. */
    public static String text(Kmodel m, String file, boolean verbose) {
        if (m instanceof V4Kmodel v4) {
            return V4KmodelDump.text(v4, file);
        }
        StringBuilder s = new StringBuilder();
        s.append(file).append(": kmodel V").append(m.version()).append('\n');
        if (m instanceof V3Model v3) {
            s.append(String.format("header: flags=0x%x (%d-bit weights) arch=0 layers=%d max_start_address=%d"
                    + " main_mem_usage=%d outputs=%d%n", v3.flags(), v3.eightBitWeights() ? 8 : 16, v3.layerCount(),
                    v3.maxStartAddress(), v3.mainMemUsage(), v3.outputTable().size()));
            s.append(String.format("memory: main %d bytes; KPU RAM from line %d to the top: %d bytes%n",
                    v3.mainMemUsage(), v3.maxStartAddress(), Math.max(0, (32768 - v3.maxStartAddress()) * 64)));
            if (v3.missingTrailingBytes() > 0) {
                s.append("note: the file lacks the last ").append(v3.missingTrailingBytes())
                        .append(" padding byte(s) (nncase rc5 quirk; accepted)\n");
            }
        } else {
            s.append("main memory: ").append(m.mainMemoryUsage()).append(" bytes, ").append(m.layerCount())
                    .append(" layers\n");
        }
        for (TensorDescription d : m.inputs()) {
            s.append("input: ").append(d.type().name().toLowerCase(Locale.ROOT)).append(' ').append(d.shape())
                    .append(' ').append(d.layout()).append('\n');
        }
        List<TensorDescription> outs = m.outputs();
        for (int i = 0; i < outs.size(); i++) {
            TensorDescription d = outs.get(i);
            s.append("output[").append(i).append("]: ");
            if (m instanceof V3Model v3) {
                V3Output t = v3.outputTable().get(i);
                s.append("address=").append(t.address()).append(" size=").append(t.size()).append(' ');
            }
            s.append(d.type().name().toLowerCase(Locale.ROOT)).append(' ').append(d.shape()).append('\n');
        }
        if (m instanceof V3Model v3) {
            long[] offsets = v3.bodyOffsets();
            for (int i = 0; i < v3.layerCount(); i++) {
                V3Layer l = v3.layer(i);
                s.append(String.format("L%02d @%-8d size=%-8d %-34s", i, offsets[i], l.bodySize(), l.type().name()));
                s.append(fields(l.body(), v3.eightBitWeights())).append('\n');
                if (verbose && l.body() instanceof K210ConvBody c) {
                    s.append(tablesText(c));
                }
            }
        } else {
            for (int i = 0; i < m.layerCount(); i++) {
                s.append(String.format("L%02d %s%n", i, m.layerTypeName(i)));
            }
        }
        return s.toString();
    }

    private static String fields(V3LayerBody b, boolean eightBit) {
        if (b instanceof K210ConvBody c) {
            return String.format("flags=%d%s %s %dx%d conv: in %dx%dx%d @kpu %d -> out %dx%dx%d @kpu %d, pool=%s,"
                    + " weights=%dB load_time=%d para_size=%d pad_value=%d arg_x=%d shr_x=%d arg_w=%d shr_w=%d"
                    + " arg_add=%d", c.flags(), c.mainMemoryOutput() ? "(MAIN_MEM_OUT) main_out=" + c.mainMemOutAddress()
                    : "", c.depthwise() ? "depthwise" : "full", c.kernelSize(), c.kernelSize(), c.inWidth(),
                    c.inHeight(), c.inChannels(), c.inputLine(), c.outWidth(), c.outHeight(), c.outChannels(),
                    c.outputLine(), c.poolType() < POOLS.length ? POOLS[c.poolType()] : "?",
                    c.weightCount() * (eightBit ? 1 : 2), c.loadTime(), c.paraSize(), c.padValue(), c.argX(), c.shrX(),
                    c.argW(), c.shrW(), c.argAdd());
        }
        StringBuilder s = new StringBuilder();
        for (FieldValue f : V3BodyLayouts.values(b)) {
            Object v = f.value();
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(f.component()).append('=');
            if (v instanceof byte[] a) {
                s.append(a.length).append(" bytes");
            } else if (v instanceof float[] a) {
                s.append(a.length).append(" floats");
            } else {
                s.append(v);
            }
        }
        return s.toString();
    }

    /** A body field that is an int, long or float goes into the JSON as that number; false for any other value. */
    static boolean putNumber(ObjectNode l, String name, Object v) {
        if (v instanceof Integer x) {
            l.put(name, x);
        } else if (v instanceof Long x) {
            l.put(name, x);
        } else if (v instanceof Float x) {
            l.put(name, x);
        } else {
            return false;
        }
        return true;
    }
}

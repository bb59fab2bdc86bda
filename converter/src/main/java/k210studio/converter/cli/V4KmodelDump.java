package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import k210studio.kpu.kmodel.layout.FieldValue;
import k210studio.kpu.kmodel.v4.V4BodyLayouts;
import k210studio.kpu.kmodel.v4.V4Kmodel;
import k210studio.kpu.kmodel.v4.V4Model;
import k210studio.kpu.kmodel.v4.V4Node;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/**
 * {@code ./k210 dump} of a kmodel V4 (kmodel-v4.md §3-§8): JSON
 * {@code {"version":4,"header":{...},"inputs":[...],"outputs":[...],"nodes":[{"index","opcode","code",
 * "offset","bodySize",<every body field of the opcode's declaration in V4BodyLayouts>}]}} with opcodes spelled as in nncase's runtime_op.def
 * (e.g. {@code kpu_conv2d}); memory ranges as {@code {memory, dtype, start, size}}, arrays as their
 * length; kpu_conv2d adds its decoded registers. Or the same as text, one line per node.
 */
public final class V4KmodelDump {
    private static final String[] POOLS = {"bypass", "max_2_s2", "mean_2_s2", "max_4_s4", "mean_4_s4",
        "left_top_2_s2", "right_top_2_s2", "left_top_4_s4", "mean_2_s1", "max_2_s1"};

    private V4KmodelDump() {
    }

    public static ObjectNode json(V4Kmodel k, ObjectMapper om) {
        V4Model m = k.model();
        ObjectNode root = om.createObjectNode();
        root.put("version", 4);
        ObjectNode h = root.putObject("header");
        h.put("flags", m.header().flags());
        h.put("target", m.header().target() == 1 ? "k210" : "cpu");
        h.put("constants", m.constants().length);
        h.put("mainMem", m.header().mainMemSize());
        h.put("nodes", m.nodes().size());
        h.put("reserved0", String.format("0x%08x", m.header().reserved0()));
        root.put("mainMemUsage", m.mainMemSize());
        ArrayNode ins = root.putArray("inputs");
        for (int i = 0; i < m.inputs().size(); i++) {
            ObjectNode o = range(m.inputs().get(i), om);
            o.put("name", "input " + i);
            ArrayNode s = o.putArray("shape");
            for (int d : m.inputShapes().get(i).toArray()) {
                s.add(d);
            }
            o.put("layout", "NCHW");
            ins.add(o);
        }
        ArrayNode outs = root.putArray("outputs");
        for (int i = 0; i < m.outputs().size(); i++) {
            ObjectNode o = range(m.outputs().get(i), om);
            o.put("name", "output " + i);
            o.put("elements", m.outputs().get(i).elements());
            ArrayNode s = o.putArray("shape");
            k.outputs().get(i).shape().forEach(s::add);
            outs.add(o);
        }
        ArrayNode nodes = root.putArray("nodes");
        long[] offsets = m.bodyOffsets();
        for (int i = 0; i < m.nodes().size(); i++) {
            nodes.add(node(i, offsets[i], m.nodes().get(i), om));
        }
        return root;
    }

    static ObjectNode range(MemoryRange r, ObjectMapper om) {
        ObjectNode o = om.createObjectNode();
        o.put("memory", r.memoryType().name().toLowerCase(Locale.ROOT));
        o.put("dtype", r.dataType().name().toLowerCase(Locale.ROOT));
        o.put("start", r.start());
        o.put("size", r.size());
        return o;
    }

    static ObjectNode node(int index, long offset, V4Node n, ObjectMapper om) {
        ObjectNode l = om.createObjectNode();
        V4Body b = n.body();
        l.put("index", index);
        l.put("opcode", b.opcode().spelling());
        l.put("code", String.format("0x%04x", b.opcode().code()));
        l.put("offset", offset);
        l.put("bodySize", n.bodySize());
        for (FieldValue f : V4BodyLayouts.values(b)) {
            put(l, f.component(), f.value(), om);
        }
        if (b instanceof KpuConv2dBody k) {
            l.set("kpu", kpu(k, om));
        }
        return l;
    }

    private static void put(ObjectNode l, String name, Object v, ObjectMapper om) {
        if (KmodelDump.putNumber(l, name, v)) {
            return;
        }
        if (v instanceof Boolean x) {
            l.put(name, x);
        } else if (v instanceof Enum<?> e) {
            l.put(name, e.name().toLowerCase(Locale.ROOT));
        } else if (v instanceof MemoryRange r) {
            l.set(name, range(r, om));
        } else if (v instanceof Shape4 s) {
            ArrayNode a = l.putArray(name);
            for (int d : s.toArray()) {
                a.add(d);
            }
        } else if (v instanceof Padding p) {
            l.putArray(name).add(p.before()).add(p.after());
        } else if (v instanceof ValueRange r) {
            l.putObject(name).put("min", r.min()).put("max", r.max());
        } else if (v instanceof QuantParam q) {
            l.putObject(name).put("zeroPoint", q.zeroPoint()).put("scale", q.scale());
        } else if (v instanceof Scalar s) {
            l.putObject(name).put("datatype", s.dataTypeCode()).put("raw", String.format("0x%08x", s.rawBits()));
        } else if (v instanceof Floats f) {
            l.put(name + "Count", f.length());
        } else if (v instanceof Ints f) {
            l.put(name + "Count", f.length());
        } else if (v instanceof Bytes f) {
            l.put(name + "Bytes", f.length());
        } else if (v instanceof Longs f) {
            l.put(name + "Count", f.length());
        } else if (v instanceof List<?> list) {
            ArrayNode a = l.putArray(name);
            for (Object e : list) {
                if (e instanceof MemoryRange r) {
                    a.add(range(r, om));
                } else if (e instanceof Padding p) {
                    a.addArray().add(p.before()).add(p.after());
                } else if (e instanceof Integer x) {
                    a.add(x);
                }
            }
        }
    }

    private static ObjectNode kpu(KpuConv2dBody k, ObjectMapper om) {
        ObjectNode o = om.createObjectNode();
        long size = k.register(KpuConv2dBody.REG_IMAGE_SIZE);
        long addr = k.register(KpuConv2dBody.REG_IMAGE_ADDR);
        long pool = k.register(KpuConv2dBody.REG_KERNEL_POOL_TYPE_CFG);
        int poolType = (int) ((pool >>> 4) & 0xF);
        o.put("depthwise", k.depthwise());
        o.put("kernel", k.kernelSize());
        o.put("inChannels", k.inputChannels());
        o.put("inHeight", (int) ((size >>> 10) & 0x1FF) + 1);
        o.put("inWidth", (int) (size & 0x3FF) + 1);
        o.put("outChannels", k.outputChannels());
        o.put("outHeight", (int) ((size >>> 42) & 0x1FF) + 1);
        o.put("outWidth", (int) ((size >>> 32) & 0x3FF) + 1);
        o.put("inputAddress", (addr & 0x7FFF) * 64);
        o.put("outputAddress", ((addr >>> 32) & 0x7FFF) * 64);
        o.put("poolType", poolType);
        o.put("pool", poolType < POOLS.length ? POOLS[poolType] : "?");
        o.put("padValue", (int) ((pool >>> 24) & 0xFF));
        o.put("gapBn", k.gapBn());
        o.put("gapActivation", k.gapActivation());
        o.put("gapWeights", k.gapWeights());
        ArrayNode regs = o.putArray("registers");
        for (int i = 0; i < k.layer().length(); i++) {
            regs.add(String.format("0x%016x", k.layer().get(i)));
        }
        return o;
    }

    /** The text form: header, inputs, outputs, one line per node. */
    public static String text(V4Kmodel k, String file) {
        V4Model m = k.model();
        StringBuilder s = new StringBuilder();
        s.append(file).append(": kmodel V4\n");
        s.append(String.format(Locale.ROOT, "header: flags=0x%x target=%s constants=%d main_mem=%d nodes=%d inputs=%d"
                + " outputs=%d reserved0=0x%08x (ignored)%n", m.header().flags(), m.header().target() == 1 ? "k210" : "cpu",
                m.constants().length, m.mainMemSize(), m.nodes().size(), m.inputs().size(), m.outputs().size(),
                m.header().reserved0()));
        for (int i = 0; i < m.inputs().size(); i++) {
            s.append("input[").append(i).append("]: ").append(m.inputs().get(i)).append(" shape(NCHW)=")
                    .append(m.inputShapes().get(i)).append('\n');
        }
        for (int i = 0; i < m.outputs().size(); i++) {
            MemoryRange r = m.outputs().get(i);
            s.append("output[").append(i).append("]: ").append(r).append(" (").append(r.elements())
                    .append(" elements; V4 stores no shape: use --output-shape)\n");
        }
        long[] offsets = m.bodyOffsets();
        for (int i = 0; i < m.nodes().size(); i++) {
            V4Node n = m.nodes().get(i);
            s.append(String.format(Locale.ROOT, "node[%3d] @0x%06x size=%-7d %-18s %s%n", i, offsets[i], n.bodySize(),
                    n.opcode().spelling(), summary(n.body())));
        }
        return s.toString();
    }

    private static String summary(V4Body b) {
        if (b instanceof KpuConv2dBody k) {
            ObjectNode o = kpu(k, new ObjectMapper());
            return String.format(Locale.ROOT, "kpu[0x%x] %dx%dx%d -> kpu[0x%x] %dx%dx%d %s k=%d pool=%s batches=%d%s",
                    o.get("inputAddress").asLong(), o.get("inChannels").asInt(), o.get("inHeight").asInt(),
                    o.get("inWidth").asInt(), o.get("outputAddress").asLong(), o.get("outChannels").asInt(),
                    o.get("outHeight").asInt(), o.get("outWidth").asInt(), k.depthwise() ? "depthwise" : "conv",
                    k.kernelSize(), o.get("pool").asText(), k.batches(),
                    k.hasMainMemOutput() ? " main_out=" + k.mainMemOutput() : "");
        }
        StringBuilder s = new StringBuilder();
        for (var e : V4BodyLayouts.ranges(b).entrySet()) {
            s.append(e.getKey()).append('=').append(e.getValue()).append(' ');
        }
        return s.toString().trim();
    }
}

package k210studio.ir.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.Tensor;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

/**
 * Property: any graph the IR can hold — random DAGs of random layer kinds with random parameters, weights
 * holding NaN, ±∞, −0 and subnormals, awkward names and notes, positions, explicit outputs, layers whose kind was
 * changed after they were connected — comes back
 * from save → load equal, weight bits included.
 */
class ProjectFileRandomRoundTripTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
            Float.MIN_VALUE, Float.MAX_VALUE, -Float.MIN_NORMAL, 1e-40f};
    private static final String[] NAMES = {"conv2d", "dense_1", "naïve é", "quote\"s", "back\\slash", "new\nline", "tab\t",
            "emoji 🙂", "中文", " ", "", "a/b:c"};

    @Test
    void randomGraphsRoundTripExactly() throws Exception {
        Class<?>[] kinds = LayerParams.class.getPermittedSubclasses();
        for (int round = 0; round < 150; round++) {
            Random r = new Random(1000 + round);
            Graph g = new Graph(NAMES[r.nextInt(NAMES.length)]);
            int n = 1 + r.nextInt(25);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LayerParams p = null;
                while (p == null) {
                    p = tryMake(kinds[r.nextInt(kinds.length)], r);
                }
                String id = g.newId();
                g.addLayer(new Layer(id, NAMES[r.nextInt(NAMES.length)] + (r.nextBoolean() ? "" : "_" + i), p, weights(r), notes(r)));
                int want = Math.min(ids.size(), Math.min(p.maxInputs(), p.minInputs() + r.nextInt(3)));
                for (int k = 0; k < want; k++) {
                    g.connect(ids.get(r.nextInt(ids.size())), id);
                }
                if (r.nextInt(4) > 0) {
                    g.setPosition(id, new Position(r.nextGaussian() * 1e3, r.nextDouble() * 1e5));
                }
                ids.add(id);
            }
            // the editor may change a layer's kind in place, keeping its edges (even too many for the new kind)
            for (int k = r.nextInt(3); k > 0; k--) {
                LayerParams q = tryMake(kinds[r.nextInt(kinds.length)], r);
                if (q != null) {
                    String id = ids.get(r.nextInt(ids.size()));
                    g.replaceLayer(g.layer(id).withParams(q));
                }
            }
            if (r.nextBoolean()) {
                List<String> outs = new ArrayList<>();
                for (String id : ids) {
                    if (r.nextInt(3) == 0) {
                        outs.add(id);
                    }
                }
                g.setOutputs(outs);
            }
            ProjectSettings s = new ProjectSettings("p " + NAMES[r.nextInt(NAMES.length)], r.nextBoolean() ? "V3" : "V4",
                    new Preprocessing(List.of(r.nextFloat()), List.of(1f + r.nextFloat()), ChannelOrder.values()[r.nextInt(3)], 1f / (1 + r.nextInt(255))),
                    List.of(NAMES[r.nextInt(NAMES.length)], "x"), r.nextBoolean() ? List.of() : List.of("images/cat.bmp"));
            Project p = new Project(g, s);
            Project back = ProjectFile.fromBytes(ProjectFile.toBytes(p), "round " + round);
            assertThat(back).as("round " + round).isEqualTo(p);
            for (Layer l : g.layers()) {
                for (Map.Entry<String, Tensor> e : l.weights().entrySet()) {
                    float[] a = e.getValue().data();
                    float[] b = back.graph().layer(l.id()).weight(e.getKey()).data();
                    for (int i = 0; i < a.length; i++) {
                        assertThat(Float.floatToRawIntBits(b[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
                    }
                }
            }
        }
    }

    private static LayerParams tryMake(Class<?> kind, Random r) {
        try {
            return ParamsOfKind.make(kind, (t, i) -> {
                if (t == int.class) {
                    return r.nextInt(10) == 0 ? -1 : 1 + r.nextInt(7);
                } else if (t == float.class) {
                    return r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextFloat();
                } else if (t == boolean.class) {
                    return r.nextBoolean();
                } else if (t == Float.class) {
                    return r.nextBoolean() ? null : (Float) (6f * r.nextFloat());
                } else if (t.isEnum()) {
                    Object[] cs = t.getEnumConstants();
                    return cs[r.nextInt(cs.length)];
                } else if (t == TensorShape.class) {
                    int rank = 1 + r.nextInt(3);
                    int[] d = new int[rank];
                    for (int k = 0; k < rank; k++) {
                        d[k] = 1 + r.nextInt(300);
                    }
                    if (r.nextBoolean()) {
                        d[r.nextInt(rank)] = -1;
                    }
                    return new TensorShape(d);
                } else if (t == ActivationFn.class) {
                    ActivationFn.Kind[] ks = ActivationFn.Kind.values();
                    return new ActivationFn(ks[r.nextInt(ks.length)], r.nextFloat());
                } else {
                    throw new AssertionError("extend tryMake for " + t);
                }
            });
        } catch (java.lang.reflect.InvocationTargetException e) {
            return null; // the record rejected these values: draw again
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Tensor> weights(Random r) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int count = r.nextInt(4);
        for (int k = 0; k < count; k++) {
            int rank = r.nextInt(5);
            int[] shape = new int[rank];
            int size = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = r.nextInt(6);
                size *= shape[i];
            }
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = r.nextInt(5) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
            }
            if (size > 0 && r.nextBoolean()) {
                v[0] = Float.intBitsToFloat(0x7fc00001); // a NaN with a payload keeps its bits
            }
            m.put(k == 0 ? "kernel" : NAMES[r.nextInt(NAMES.length)] + k, new Tensor(shape, v));
        }
        return m;
    }

    private static Map<String, String> notes(Random r) {
        Map<String, String> m = new LinkedHashMap<>();
        if (r.nextBoolean()) {
            m.put(NAMES[r.nextInt(NAMES.length)], NAMES[r.nextInt(NAMES.length)]);
        }
        return m;
    }
}

package k210studio.kpu.kmodel.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * Random bodies that satisfy a declaration, built from the declaration alone: the fields a sizer
 * or check looks at get small values (so arrays stay small and registers describe a real kernel),
 * every other field a value from anywhere in its range (any int, any float bits, any enum constant).
 */
public final class BodyGenerator {
    private final Random rnd;

    public BodyGenerator(Random rnd) {
        this.rnd = rnd;
    }

    /** A body of the layout that its writer accepts; retried when a check refuses the random choice. */
    public <R> R generate(RecordLayout<R> layout, Map<String, ?> params) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 500; attempt++) {
            FieldValues probe = values(params);
            components(layout, probe, null);
            Set<String> consulted = probe.consulted();
            try {
                R body = layout.construct(components(layout, values(params), consulted));
                layout.spans(body, 0, params); // runs every write-side check
                return body;
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new AssertionError(layout + ": no generated body was accepted", last);
    }

    private static FieldValues values(Map<String, ?> params) {
        FieldErrors errors = (offset, field, problem) -> new KmodelFormatException(offset, field, problem);
        return new FieldValues(errors, null, params, 0);
    }

    /** @param consulted fields kept small; {@code null}: all small */
    private Object[] components(RecordLayout<?> layout, FieldValues v, Set<String> consulted) {
        List<Object> out = new ArrayList<>();
        for (Field<?> f : layout.fields()) {
            boolean wild = consulted != null && !consulted.contains(f.name());
            Object x;
            try {
                x = f.stored() ? value(f, v, wild) : derived(f, v);
            } catch (KmodelFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            v.put(f.name(), x);
            if (!f.stored()) {
                continue;
            }
            if (f.componentNames().size() == 1) {
                out.add(x);
            } else {
                out.addAll(List.of((Object[]) x));
            }
        }
        return out.toArray();
    }

    private Object derived(Field<?> f, FieldValues v) throws KmodelFormatException {
        if (f instanceof CountField) {
            return (long) rnd.nextInt(4);
        }
        if (f instanceof GapField g) {
            return g.derive(v);
        }
        return 0L; // a pointer: the writer places its block
    }

    private Object value(Field<?> f, FieldValues v, boolean wild) throws KmodelFormatException {
        if (f instanceof IntField i) {
            long lo = Math.max(i.min(), wild ? Integer.MIN_VALUE : 0);
            long span = wild ? Integer.MAX_VALUE - lo + 1 : 3;
            return (int) (lo + Math.floorMod(rnd.nextLong(), span));
        }
        if (f instanceof UnsignedField<?> u) {
            long x = wild ? Math.floorMod(rnd.nextLong(), u.max() + 1) : rnd.nextInt(3);
            return u.type() == long.class ? (Object) x : (Object) (int) x;
        }
        if (f instanceof FloatField) {
            return wild ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextInt(3);
        }
        if (f instanceof BoolField) {
            return rnd.nextBoolean();
        }
        if (f instanceof EnumField<?> e) {
            return e.constants().get(rnd.nextInt(e.constants().size()));
        }
        if (f instanceof StructField<?> s) {
            FieldValues inner = v.child();
            return s.layout().construct(components(s.layout(), inner, wild ? Set.of() : null));
        }
        if (f instanceof BlockField<?> b) {
            return value(b.inner(), v, wild);
        }
        if (f instanceof ListField<?> l) {
            List<Object> out = new ArrayList<>();
            for (long i = l.sizer().count(v); i > 0; i--) {
                out.add(value(l.element(), v.child(), wild));
            }
            return out;
        }
        if (f instanceof InterleavedField t) {
            int n = (int) t.sizer().count(v);
            Object[] parts = new Object[t.parts().size()];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = floats(n, wild);
            }
            return parts;
        }
        if (f instanceof ArrayField<?> a) {
            int n = (int) (a.rest() ? rnd.nextInt(9) : a.sizer().count(v));
            return a.wrap(array(a.element(), n, wild));
        }
        throw new IllegalStateException("no generator for " + f);
    }

    private float[] floats(int n, boolean wild) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = wild ? Float.intBitsToFloat(rnd.nextInt()) : rnd.nextInt(3);
        }
        return a;
    }

    private Object array(ArrayField.Element e, int n, boolean wild) {
        switch (e) {
            case U8: {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) (wild ? rnd.nextInt() : rnd.nextInt(3));
                }
                return a;
            }
            case I32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = wild ? rnd.nextInt() : rnd.nextInt(3);
                }
                return a;
            }
            case F32:
                return floats(n, wild);
            default: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = wild ? rnd.nextLong() : rnd.nextInt(3);
                }
                return a;
            }
        }
    }
}

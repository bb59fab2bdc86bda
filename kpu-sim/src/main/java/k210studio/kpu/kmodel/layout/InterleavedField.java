package k210studio.kpu.kmodel.layout;

import java.util.Collections;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/**
 * Counted float32 tuples stored interleaved (V3 CHANNELWISE_DEQUANTIZE's {@code (scale, bias)}
 * pairs) whose parts fill one float array component each.
 */
public final class InterleavedField extends Field<Object[]> {
    private final Sizer sizer;
    private final List<String> parts;
    private final List<String> components;

    InterleavedField(String name, Sizer sizer, List<String> parts, List<String> components) {
        super(name, Object[].class, -1);
        if (parts.size() != components.size()) {
            throw new IllegalArgumentException("one component per part");
        }
        this.sizer = sizer;
        this.parts = List.copyOf(parts);
        this.components = List.copyOf(components);
    }

    public Sizer sizer() {
        return sizer;
    }

    public List<String> parts() {
        return parts;
    }

    @Override
    List<String> componentNames() {
        return components;
    }

    @Override
    List<Class<?>> componentTypes() {
        return Collections.nCopies(parts.size(), float[].class);
    }

    @Override
    Object[] read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long n = sizer.count(v);
        r.need(n * 4 * parts.size(), path);
        float[][] a = new float[parts.size()][(int) n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < a.length; p++) {
                a[p][i] = r.f32(path + "[" + i + "]." + parts.get(p));
            }
        }
        return a;
    }

    @Override
    void write(FieldWriter w, Object[] value, FieldValues v, String path) throws KmodelFormatException {
        long n = sizer.count(v);
        for (int p = 0; p < value.length; p++) {
            float[] a = (float[]) value[p];
            if (a.length != n) {
                throw w.error(w.position(), path, components.get(p) + " holds " + a.length
                        + " values but the fields before it call for " + n);
            }
        }
        w.mark(path, this, bytes(value));
        for (int i = 0; i < n; i++) {
            for (Object part : value) {
                w.f32(((float[]) part)[i]);
            }
        }
    }

    @Override
    long bytes(Object[] value) {
        return 4L * parts.size() * ((float[]) value[0]).length;
    }
}

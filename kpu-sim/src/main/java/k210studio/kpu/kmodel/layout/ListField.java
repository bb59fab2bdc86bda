package k210studio.kpu.kmodel.layout;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/** A list of {@link Sizer}-counted elements of one field kind, named {@code name[i]} in messages. */
public final class ListField<E> extends Field<List<E>> {
    private final Field<E> element;
    private final Sizer sizer;

    ListField(String name, Field<E> element, Sizer sizer) {
        super(name, List.class, -1);
        this.element = element;
        this.sizer = sizer;
    }

    public Field<E> element() {
        return element;
    }

    public Sizer sizer() {
        return sizer;
    }

    @Override
    public Role role() {
        return element.role();
    }

    @Override
    List<E> read(FieldReader r, FieldValues v, String path) throws KmodelFormatException {
        long n = sizer.count(v);
        List<E> out = new ArrayList<>();
        FieldValues each = v.child();
        for (int i = 0; i < n; i++) {
            out.add(element.readField(r, each, path + "[" + i + "]"));
        }
        return out;
    }

    @Override
    void write(FieldWriter w, List<E> value, FieldValues v, String path) throws KmodelFormatException {
        long n = sizer.count(v);
        if (n != value.size()) {
            throw w.error(w.position(), path, "holds " + value.size() + " entries but the fields before it call for "
                    + n);
        }
        FieldValues each = v.child();
        for (int i = 0; i < value.size(); i++) {
            element.writeField(w, value.get(i), each, path + "[" + i + "]");
        }
    }

    @Override
    long bytes(List<E> value) {
        long n = 0;
        for (E e : value) {
            n += element.bytes(e);
        }
        return n;
    }
}

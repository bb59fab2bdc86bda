package k210studio.ir.project;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import k210studio.ir.layer.LayerParams;

/** Builds a layer params record of any kind from one value per component, so tests cover every kind there is. */
final class ParamsOfKind {
    /** The value of component {@code index}, of type {@code type}. */
    interface Values {
        Object of(Class<?> type, int index);
    }

    private ParamsOfKind() {
    }

    /** @throws java.lang.reflect.InvocationTargetException when the record refuses the values */
    static LayerParams make(Class<?> kind, Values values) throws ReflectiveOperationException {
        RecordComponent[] rc = kind.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
            args[i] = values.of(types[i], i);
        }
        Constructor<?> ctor = kind.getDeclaredConstructor(types);
        return (LayerParams) ctor.newInstance(args);
    }
}

package k210studio.app.inspector;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.tensor.TensorShape;

/**
 * The editable fields of a layer's parameter record, read and written generically through the
 * record's components so every layer kind of the catalog gets a form. Values are parsed from the
 * text a user types; a new parameter record is built through the canonical constructor, so the
 * layer's own argument checks (e.g. "strides must be ≥ 1") become the form's validation messages.
 */
public final class ParamForm {

    /** One field: the record component name, a label for people, its Java type and current value. */
    public record Field(String name, String label, Class<?> type, Object value) {
        /** The value as the form shows it in a text field. */
        public String text() {
            return ParamForm.format(value);
        }
    }

    private ParamForm() {
    }

    public static List<Field> fieldsOf(LayerParams p) {
        List<Field> out = new ArrayList<>();
        for (RecordComponent rc : p.getClass().getRecordComponents()) {
            try {
                Object v = rc.getAccessor().invoke(p);
                out.add(new Field(rc.getName(), label(rc.getName()), rc.getType(), v));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + rc.getName() + " of " + p.kerasName(), e);
            }
        }
        return out;
    }

    /**
     * The parameters with one field changed.
     *
     * @param value an already typed value, or a String to parse
     * @throws IllegalArgumentException with a user-facing message when the value is not valid
     */
    public static LayerParams with(LayerParams p, String field, Object value) {
        RecordComponent[] rcs = p.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        boolean found = false;
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            try {
                args[i] = rcs[i].getAccessor().invoke(p);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            if (rcs[i].getName().equals(field)) {
                args[i] = value instanceof String s && types[i] != String.class ? parse(types[i], label(field), s) : value;
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException(p.kerasName() + " has no parameter '" + field + "'");
        }
        try {
            Constructor<?> c = p.getClass().getDeclaredConstructor(types);
            return (LayerParams) c.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(String.valueOf(cause.getMessage()), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + p.kerasName(), e);
        }
    }

    /** Parses what the user typed into a value of the field's type. */
    public static Object parse(Class<?> type, String label, String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (type == int.class || type == Integer.class) {
                if (t.isEmpty() && type == Integer.class) {
                    return null;
                }
                return Integer.parseInt(t);
            }
            if (type == float.class || type == Float.class) {
                if (t.isEmpty() || t.equalsIgnoreCase("none")) {
                    if (type == Float.class) {
                        return null;
                    }
                    throw new IllegalArgumentException(label + " needs a number");
                }
                float f = Float.parseFloat(t);
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException(label + " must be a finite number, got " + t);
                }
                return f;
            }
            if (type == boolean.class || type == Boolean.class) {
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(t);
                }
                throw new IllegalArgumentException(label + " must be true or false");
            }
            if (type == ActivationFn.class) {
                return parseActivation(t);
            }
            if (type == TensorShape.class) {
                return parseShape(label, t);
            }
            if (type.isEnum()) {
                for (Object c : type.getEnumConstants()) {
                    if (((Enum<?>) c).name().equalsIgnoreCase(t)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(label + " must be one of " + List.of(type.getEnumConstants()).toString().toLowerCase(Locale.ROOT));
            }
            if (type == String.class) {
                return t;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + " must be " + (type == int.class || type == Integer.class ? "a whole number" : "a number") + ", got '" + t + "'");
        }
        throw new IllegalArgumentException("cannot edit " + label + " (" + type.getSimpleName() + ")");
    }

    /** "relu", "linear", "leaky_relu(0.2)". */
    public static ActivationFn parseActivation(String t) {
        String s = t.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return ActivationFn.LINEAR;
        }
        int paren = s.indexOf('(');
        if (paren > 0 && s.endsWith(")")) {
            ActivationFn.Kind k = ActivationFn.Kind.fromKeras(s.substring(0, paren).trim());
            float alpha;
            try {
                alpha = Float.parseFloat(s.substring(paren + 1, s.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("activation: the slope in '" + t + "' must be a number");
            }
            return new ActivationFn(k, alpha);
        }
        return ActivationFn.of(ActivationFn.Kind.fromKeras(s));
    }

    /** "240×320×3", "240x320x3", "240, 320, 3" or "-1". */
    public static TensorShape parseShape(String label, String t) {
        String[] parts = t.replace('×', 'x').replace('*', 'x').replace(',', 'x').replace('(', ' ').replace(')', ' ').trim().split("\\s*x\\s*|\\s+");
        List<Integer> dims = new ArrayList<>();
        for (String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            try {
                dims.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(label + " must look like 240×320×3, got '" + t + "'");
            }
        }
        if (dims.isEmpty()) {
            throw new IllegalArgumentException(label + " must look like 240×320×3");
        }
        return new TensorShape(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Float f) {
            return f == Math.rint(f) && Math.abs(f) < 1e7 ? Integer.toString((int) f.floatValue()) : Float.toString(f);
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return v.toString();
    }

    /** "kernelH" → "kernel H", "useBias" → "use bias", "depthMultiplier" → "depth multiplier". */
    public static String label(String component) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            boolean last = i == component.length() - 1;
            if (Character.isUpperCase(c)) {
                sb.append(' ');
                sb.append(last ? c : Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

package k210studio.converter.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import k210studio.ir.tensor.TensorShape;

/** Python source text for the values a generated Keras script holds: tuples, bools, floats, strings, docstrings. */
final class PythonLiterals {
    private PythonLiterals() {
    }

    static String pair(int a, int b) {
        return "(" + a + ", " + b + ")";
    }

    static String dilation(int a, int b) {
        return a == 1 && b == 1 ? "" : ", dilation_rate=" + pair(a, b);
    }

    static String pyShape(TensorShape s) {
        int[] d = s.dims();
        if (d.length == 1) {
            return "(" + d[0] + ",)";
        }
        List<String> parts = new ArrayList<>();
        for (int x : d) {
            parts.add(Integer.toString(x));
        }
        return "(" + String.join(", ", parts) + ")";
    }

    static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    static String pyFloat(float f) {
        if (f == (long) f && Math.abs(f) < 1e15) {
            return (long) f + ".0";
        }
        String s = Float.toString(f);
        return s.replace("E", "e");
    }

    static String pyFloatList(List<Float> v) {
        List<String> parts = new ArrayList<>();
        v.forEach(x -> parts.add(pyFloat(x)));
        return "[" + String.join(", ", parts) + "]";
    }

    static String pyString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '"') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String pyStringList(List<String> v) {
        List<String> parts = new ArrayList<>();
        v.forEach(x -> parts.add(pyString(x)));
        return "[" + String.join(", ", parts) + "]";
    }

    static String pyIdentifierish(String s) {
        String t = KerasNames.safe(s);
        return t.isEmpty() ? "model" : t;
    }

    static String escapeDoc(String s) {
        return s.replace("\\", "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    }
}

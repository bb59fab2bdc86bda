package k210studio.app.export;

import java.util.List;
import java.util.Locale;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.TensorDescription;

/**
 * Writes the MaixPy {@code boot.py} that runs an exported kmodel on the board with the studio's preprocessing:
 * the camera frame resized to the model input ({@code sensor.set_windowing}), {@code img.pix_to_ai()} (planar
 * RGB888 or grey, exactly what the simulator fed), {@code kpu.forward}; the mean/std are inside the kmodel (its
 * input quantization), so the script passes raw 0…255 pixels. V4 files carry no output shapes, so the script
 * calls {@code kpu.set_outputs(task, i, w, h, ch)} for each output before the first forward.
 */
public final class MaixPyScript {
    private MaixPyScript() {
    }

    /** What the script does with the output. */
    public enum Mode { CLASSIFIER, YOLO2, RAW }

    /**
     * @param kmodelName file name on the SD card
     * @param labelsName labels file name on the SD card (or null)
     * @param m          the compiled model (shapes)
     * @param mean       preprocessing mean (pixel units), for the comment
     * @param std        preprocessing std (pixel units), for the comment
     * @param anchors    YOLOv2 anchors (mode YOLO2)
     */
    public static String generate(String kmodelName, String labelsName, Kmodel m, float mean, float std, Mode mode, float[] anchors) {
        TensorDescription in = m.inputs().get(0);
        List<Integer> s = in.shape();
        int c = s.get(s.size() - 3);
        int h = s.get(s.size() - 2);
        int w = s.get(s.size() - 1);
        StringBuilder b = new StringBuilder();
        b.append("# MaixPy script written by K210 Studio for ").append(kmodelName).append(" (kmodel V").append(m.version()).append(")\n");
        b.append("# Copy ").append(kmodelName).append(labelsName == null ? "" : " and " + labelsName).append(" to the SD card root.\n");
        if (m.version() == 4) {
            b.append("# kmodel V4 needs a MaixPy firmware built with V4 support (v0.6.2 or later with\n");
            b.append("# CONFIG_MICROPYTHON_KMODEL_V4_SUPPORT); V3-only firmware answers \"only support kmodel V3\".\n");
        } else {
            b.append("# kmodel V3 loads on every MaixPy firmware.\n");
        }
        b.append(String.format(Locale.ROOT, "# Preprocessing: the model computes x = (pixel - %s) / %s itself (its input quantization),%n", num(mean), num(std)));
        b.append("# so the board feeds raw 0..255 pixels: the camera frame cut to the model input, planar ")
                .append(c == 1 ? "grey" : "RGB").append(".\n");
        b.append("import sensor, image, lcd, gc\nimport KPU as kpu\n\n");
        b.append("lcd.init()\nsensor.reset()\n");
        b.append("sensor.set_pixformat(").append(c == 1 ? "sensor.GRAYSCALE" : "sensor.RGB565").append(")\n");
        b.append("sensor.set_framesize(sensor.QVGA)\n");
        b.append(String.format(Locale.ROOT, "sensor.set_windowing((%d, %d))%n", w, h));
        b.append("sensor.run(1)\n\n");
        if (labelsName != null) {
            b.append("with open('/sd/").append(labelsName).append("') as f:\n    labels = [l.strip() for l in f.readlines() if l.strip()]\n");
        } else {
            b.append("labels = []\n");
        }
        b.append("task = kpu.load('/sd/").append(kmodelName).append("')\n");
        if (m.version() == 4) {
            for (int i = 0; i < m.outputs().size(); i++) {
                int[] whc = outputWhc(m.outputs().get(i), mode, w, h);
                b.append(String.format(Locale.ROOT, "kpu.set_outputs(task, %d, %d, %d, %d)%n", i, whc[0], whc[1], whc[2]));
            }
        }
        if (mode == Mode.YOLO2) {
            b.append("anchors = (");
            for (int i = 0; i < anchors.length; i++) {
                b.append(i == 0 ? "" : ", ").append(num(anchors[i]));
            }
            b.append(")\n");
            b.append("kpu.init_yolo2(task, 0.5, 0.3, ").append(anchors.length / 2).append(", anchors)\n");
        }
        b.append("\nwhile True:\n");
        b.append("    img = sensor.snapshot()\n");
        if (mode == Mode.YOLO2) {
            b.append("    objects = kpu.run_yolo2(task, img)\n");
            b.append("    if objects:\n        for o in objects:\n            img.draw_rectangle(o.rect())\n");
            b.append("            name = labels[o.classid()] if o.classid() < len(labels) else str(o.classid())\n");
            b.append("            img.draw_string(o.x(), o.y(), '%s %.2f' % (name, o.value()))\n");
        } else {
            b.append("    img.pix_to_ai()\n");
            b.append("    fmap = kpu.forward(task, img)\n");
            b.append("    out = fmap[:]\n");
            if (mode == Mode.CLASSIFIER) {
                b.append("    best = max(range(len(out)), key=lambda i: out[i])\n");
                b.append("    name = labels[best] if best < len(labels) else str(best)\n");
                b.append("    img.draw_string(0, 0, '%s %.2f' % (name, out[best]), scale=2)\n");
            } else {
                b.append("    print(out[:8])\n");
            }
        }
        b.append("    lcd.display(img)\n");
        b.append("    gc.collect()\n");
        return b.toString();
    }

    /** w, h, ch of an output for set_outputs: a C×H×W shape, a YOLO map on the input's /32 grid, else a vector (1, 1, n). */
    static int[] outputWhc(TensorDescription d, Mode mode, int inW, int inH) {
        List<Integer> s = d.shape();
        long n = d.elementCount();
        if (s.size() >= 3 && s.get(s.size() - 1) > 1) {
            return new int[] {s.get(s.size() - 1), s.get(s.size() - 2), s.get(s.size() - 3)};
        }
        if (mode == Mode.YOLO2 && inW / 32 > 0 && inH / 32 > 0 && n % ((inW / 32) * (inH / 32)) == 0) {
            return new int[] {inW / 32, inH / 32, (int) (n / ((inW / 32) * (inH / 32)))};
        }
        return new int[] {1, 1, (int) n};
    }

    private static String num(float v) {
        if (v == Math.rint(v)) {
            return Integer.toString((int) v);
        }
        return Float.toString(v);
    }
}

package k210studio.app.evaluate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import k210studio.converter.evaluate.EvalReport;
import k210studio.converter.evaluate.doctor.DoctorReport;
import k210studio.converter.evaluate.doctor.LayerError;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.converter.evaluate.doctor.Suggestion;
import org.jfree.data.category.DefaultCategoryDataset;

/** The doctor's report as the Evaluate window's Doctor tab shows it: a summary line, list rows and the SNR chart data. */
final class DoctorRows {
    static final String SNR = "SNR dB";

    private DoctorRows() {
    }

    /** "Doctor: … costs most …" or, after an applied suggestion, the agreements before and after. */
    static String summary(DoctorReport d, Suggestion applied, double before, EvalReport r) {
        StringBuilder s = new StringBuilder();
        if (applied != null && r.classifier() != null) {
            s.append(String.format(Locale.ROOT, "Applied: %s. Top-1 agreement K210 vs float %.2f %% → %.2f %%. ", applied.text(),
                    100 * before, 100 * r.classifier().agreement()));
        }
        if (d == null) {
            return s.toString().trim();
        }
        if (d.ranking().isEmpty()) {
            return s.append("Doctor: no quantized layer to rank.").toString();
        }
        RankedLayer top = d.ranking().get(0);
        return s.append(String.format(Locale.ROOT, "Doctor (%d images): %s costs most, %.2f %% of the agreement alone.", d.images(),
                top.layer(), 100 * top.agreementCost())).toString();
    }

    /** One ranked layer as a list row. */
    static String row(RankedLayer r) {
        return String.format(Locale.ROOT, "costs %.2f %% agreement · SNR %.1f dB · %s%n→ %s", 100 * r.agreementCost(), r.snrDb(),
                r.layer(), r.suggestion().text());
    }

    /** Mean SNR per float layer (the first kmodel layer holding it), in kmodel order. */
    static DefaultCategoryDataset snr(DoctorReport d) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        if (d == null) {
            return data;
        }
        Map<String, LayerError> first = new LinkedHashMap<>();
        for (LayerError e : d.layers()) {
            first.putIfAbsent(e.layer(), e);
        }
        for (LayerError e : first.values()) {
            data.addValue(e.snrDb(), SNR, e.kmodelLayer() + " " + shortName(e.layer()));
        }
        return data;
    }

    /** A TFLite fused name ("relu1/Relu;FusedBatchNormV3;…") by its first part ("relu1"), at most 16 characters. */
    static String shortName(String name) {
        int cut = name.indexOf('/');
        String s = cut > 0 ? name.substring(0, cut) : name;
        return s.length() <= 16 ? s : s.substring(0, 15) + "…";
    }
}

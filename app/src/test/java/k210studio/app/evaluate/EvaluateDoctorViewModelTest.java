package k210studio.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import k210studio.converter.evaluate.doctor.DoctorReport;
import k210studio.converter.evaluate.doctor.LayerError;
import k210studio.converter.evaluate.doctor.RankedLayer;
import k210studio.converter.evaluate.doctor.Suggestion;
import k210studio.ir.project.Project;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Evaluate window's Doctor tab logic on the TinyMaix MNIST project and the fixture digits (V3 compiled in memory):
 * with the doctor ticked a run yields the per-layer errors, the SNR chart rows and the ranked layers; Apply on a
 * "widen the output range" suggestion re-runs with that range in the build (the new run's grid of that layer is the
 * suggested range) and reports the agreement before and after.
 */
class EvaluateDoctorViewModelTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("doctor ticked: report, SNR chart rows and ranking; Apply widens the range in the build and reports both agreements")
    void doctorAndApply() throws Exception {
        Path set = EvaluateViewModelTest.digits(tmp.resolve("digits"), 1);
        Project p = EvaluateViewModelTest.mnist();
        EvaluateViewModel vm = new EvaluateViewModel(() -> p, Runnable::run, null);
        assertThat(vm.chooseDataset(set)).isNull();
        assertThat(vm.apply(null)).isEqualTo("this layer has no suggestion to apply");

        assertThat(vm.start()).isNull();
        EvaluateViewModelTest.await(vm);
        assertThat(vm.doctorReportProperty().get()).as("the doctor is off by default").isNull();
        assertThat(vm.ranking()).isEmpty();

        vm.doctorProperty().set(true);
        assertThat(vm.start()).isNull();
        EvaluateViewModelTest.await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        DoctorReport d = vm.doctorReportProperty().get();
        assertThat(d.images()).isEqualTo(11);
        assertThat(vm.ranking()).containsExactlyElementsOf(d.ranking()).hasSizeGreaterThanOrEqualTo(3);
        long distinct = d.layers().stream().map(LayerError::layer).distinct().count();
        assertThat(DoctorRows.snr(d).getColumnCount()).isEqualTo((int) distinct);
        assertThat(vm.doctorTextProperty().get()).startsWith("Doctor (11 images): " + d.ranking().get(0).layer() + " costs most");
        assertThat(DoctorRows.row(d.ranking().get(0))).contains(d.ranking().get(0).suggestion().text());

        RankedLayer widen = vm.ranking().stream().filter(r -> r.suggestion().kind() == Suggestion.Kind.WIDEN_RANGE).findFirst().orElseThrow();
        double before = vm.reportProperty().get().classifier().agreement();
        assertThat(vm.apply(widen)).isNull();
        EvaluateViewModelTest.await(vm);
        assertThat(vm.errorProperty().get()).isEmpty();
        double after = vm.reportProperty().get().classifier().agreement();
        assertThat(vm.doctorTextProperty().get()).startsWith(String.format(java.util.Locale.ROOT,
                "Applied: %s. Top-1 agreement K210 vs float %.2f %% → %.2f %%.", widen.suggestion().text(), 100 * before, 100 * after));
        LayerError now = vm.doctorReportProperty().get().layers().stream().filter(e -> e.layer().equals(widen.layer())).findFirst().orElseThrow();
        // the re-run's uint8 grid of that layer spans the suggested range (up to V3's rounding of the zero point)
        float step = widen.suggestion().range().width() / 255;
        assertThat(now.quantRange().min()).isBetween(widen.suggestion().range().min() - step, widen.suggestion().range().min() + step);
        assertThat(now.quantRange().max()).isBetween(widen.suggestion().range().max() - step, widen.suggestion().range().max() + step);
        assertThat(now.clipped()).isZero();
    }
}

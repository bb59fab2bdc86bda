package k210studio.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import k210studio.app.work.Jobs;
import k210studio.ir.project.Project;
import k210studio.ir.rules.MemoryBudget;
import k210studio.ir.rules.Target;
import k210studio.ir.samples.SampleNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export wizard's view model without a window: pages, the compile and its memory view, the written files. */
class ExportViewModelTest {
    private final List<String> errors = new ArrayList<>();
    private boolean closed;

    private ExportViewModel vm(Project p) {
        ExportViewModel vm = new ExportViewModel(p, Jobs.inline());
        vm.setErrorHandler((t, m) -> errors.add(t + ": " + m));
        vm.setCloser(() -> closed = true);
        vm.start();
        return vm;
    }

    @Test
    void theSampleCompilesOnTheMemoryPageFitsAndIsWritten(@TempDir Path out) throws Exception {
        ExportViewModel vm = vm(SampleNetworks.briefTwoClassProject());
        assertThat(vm.pageProperty().get()).isEqualTo(ExportViewModel.TARGET);
        assertThat(vm.backDisabledProperty().get()).isTrue();
        vm.next();
        vm.next();
        vm.next();
        assertThat(vm.pageProperty().get()).isEqualTo(ExportViewModel.MEMORY);
        assertThat(errors).isEmpty();
        assertThat(vm.compiled()).isNotNull();
        MemoryView m = vm.memoryProperty().get();
        assertThat(m.fits()).isTrue();
        assertThat(m.failed()).isFalse();
        assertThat(m.data().budgetBytes()).isEqualTo(MemoryBudget.MAIXPY_MINIMUM.bytes());
        assertThat(m.message()).startsWith("V3: kmodel " + String.format(java.util.Locale.ROOT, "%,d", vm.compiled().kmodel().length) + " B");
        assertThat(vm.nextDisabledProperty().get()).isFalse();
        assertThat(vm.busyProperty().get()).isFalse();

        // another budget on the memory page compiles again against it
        vm.budgetProperty().set(MemoryBudget.BARE_SDK);
        assertThat(vm.chartData().budgetBytes()).isEqualTo(MemoryBudget.BARE_SDK.bytes());

        vm.next();
        assertThat(vm.pageProperty().get()).isEqualTo(ExportViewModel.WRITE);
        assertThat(vm.nextTextProperty().get()).isEqualTo("Write");
        assertThat(vm.scriptModeProperty().get()).isEqualTo(MaixPyScript.Mode.CLASSIFIER);
        vm.setOutputFolder(out);
        vm.next();
        assertThat(errors).isEmpty();
        assertThat(vm.written()).isNotNull();
        assertThat(Files.readAllBytes(vm.written().kmodel())).isEqualTo(vm.compiled().kmodel());
        assertThat(vm.writeResultProperty().get()).startsWith("Written:").contains("labels.txt");
        assertThat(vm.nextTextProperty().get()).isEqualTo("Finish");
        vm.next();
        assertThat(closed).isTrue();
    }

    @Test
    void changingTheTargetDropsTheCompileAndV4KeepsEightBitWeights() {
        ExportViewModel vm = vm(SampleNetworks.briefTwoClassProject());
        vm.weightBitsProperty().set(16);
        vm.targetProperty().set(Target.V4);
        assertThat(vm.weightBitsProperty().get()).isEqualTo(8);
        assertThat(vm.compiled()).isNull();
        assertThat(vm.header(ExportViewModel.CALIBRATION)).startsWith("2. Calibration  ·  ");
    }

    @Test
    void aCalibrationFolderThatIsNoFolderStopsOnItsPage(@TempDir Path dir) {
        ExportViewModel vm = vm(SampleNetworks.briefTwoClassProject());
        vm.next();
        vm.setCalibrationFolder(dir.resolve("missing"));
        vm.next();
        assertThat(vm.pageProperty().get()).isEqualTo(ExportViewModel.CALIBRATION);
        assertThat(errors).singleElement().asString().contains("is not a folder");
        vm.setCalibrationFolder(null);
        assertThat(vm.calibrationPreview().text()).startsWith("no folder: the project's");
    }
}

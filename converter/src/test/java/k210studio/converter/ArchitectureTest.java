package k210studio.converter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of ARCHITECTURE.md, checked on the compiled main classes of ir, kpu-sim and
 * converter (all on this module's class path): no JavaFX below the app; kpu-sim runs kmodel bytes and
 * knows nothing of the IR or the converter; the IR knows nothing of the modules above it.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // jars are not excluded: after `package` the sibling modules resolve to their jars, not classes folders
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("k210studio.ir", "k210studio.kpu", "k210studio.converter");
    }

    @Test
    void theImportSawEveryModule() {
        // guards against a vacuous pass: the rules below must see classes of all three modules
        assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("k210studio.ir"))).isTrue();
        assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("k210studio.kpu"))).isTrue();
        assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("k210studio.converter"))).isTrue();
    }

    @Test
    void noJavaFxBelowTheApp() {
        noClasses().that().resideInAnyPackage("k210studio.ir..", "k210studio.kpu..", "k210studio.converter..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .because("only the app module may use JavaFX; the CLI and tests run headless")
                .check(classes);
    }

    @Test
    void kpuSimulatorIsIndependentOfTheIrAndTheConverter() {
        noClasses().that().resideInAPackage("k210studio.kpu..")
                .should().dependOnClassesThat().resideInAnyPackage("k210studio.ir..", "k210studio.converter..", "k210studio.app..")
                .because("kpu-sim runs kmodel bytes like the chip; it must not see the network IR or the compiler")
                .check(classes);
    }

    @Test
    void irDependsOnNoModuleAboveIt() {
        noClasses().that().resideInAPackage("k210studio.ir..")
                .should().dependOnClassesThat().resideInAnyPackage("k210studio.kpu..", "k210studio.converter..", "k210studio.app..")
                .because("ir is the bottom module: ir ← kpu-sim ← converter ← app")
                .check(classes);
    }

    @Test
    void converterDoesNotReachIntoTheApp() {
        noClasses().that().resideInAPackage("k210studio.converter..")
                .should().dependOnClassesThat().resideInAnyPackage("k210studio.app..")
                .check(classes);
    }
}

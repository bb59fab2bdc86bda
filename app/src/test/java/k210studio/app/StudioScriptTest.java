package k210studio.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./studio} checks, before any build or JVM, that JavaFX's Linux window toolkit can load: with the loader's
 * cache (a stand-in {@code ldconfig} first on the PATH) lacking GTK 3 it fails with one line naming the Debian/Ubuntu
 * and Fedora packages; lacking only libXtst it names that package; with everything present {@code --check} passes.
 */
class StudioScriptTest {
    private static final List<String> JAVAFX_LIBS = List.of("libgtk-3.so.0", "libgdk-3.so.0", "libpangocairo-1.0.so.0", "libpango-1.0.so.0",
            "libatk-1.0.so.0", "libcairo-gobject.so.2", "libcairo.so.2", "libgdk_pixbuf-2.0.so.0", "libgio-2.0.so.0", "libgobject-2.0.so.0",
            "libgthread-2.0.so.0", "libglib-2.0.so.0", "libX11.so.6", "libXtst.so.6");
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void findScript() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the check is for Linux");
        script = Path.of("").toAbsolutePath().getParent().resolve("studio");
        assumeTrue(Files.isRegularFile(script), "run from the app module of the repository");
    }

    private Result check(List<String> present) throws Exception {
        return check(present, "");
    }

    /**
     * Runs {@code studio --check} with stand-ins first on the PATH: an ldconfig whose cache lists exactly
     * {@code present}, and an ldd that reports {@code gtkDeps} as libgtk-3's own libraries.
     */
    private Result check(List<String> present, String gtkDeps) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("ldd"), "printf '%s\\n' '" + gtkDeps + "'\n");
        StringBuilder cache = new StringBuilder("echo '" + present.size() + " libs found in cache'\n");
        for (String lib : present) {
            cache.append("echo '\t").append(lib).append(" (libc6,x86-64) => ").append(dir.resolve("lib").resolve(lib)).append("'\n");
        }
        script(bin.resolve("ldconfig"), cache.toString());
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--check");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("LD_LIBRARY_PATH");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), read(p.getInputStream().readAllBytes()), read(p.getErrorStream().readAllBytes()));
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String read(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private record Result(int exit, String out, String err) {
    }

    @Test
    void withoutGtkItSaysInOneLineWhichPackageToInstall() throws Exception {
        Result r = check(List.of("libc.so.6", "libXtst.so.6"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("libgtk-3.so.0").contains("apt install libgtk-3-0").contains("dnf install gtk3").doesNotContain("libxtst6");
    }

    @Test
    void withoutLibXtstItNamesThatPackage() throws Exception {
        Result r = check(JAVAFX_LIBS.stream().filter(l -> !l.startsWith("libXtst")).toList());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("libXtst.so.6 not found").contains("apt install libxtst6").contains("dnf install libXtst")
                .doesNotContain("libgtk-3-0");
    }

    @Test
    void withEverythingPresentTheCheckPasses() throws Exception {
        Result r = check(JAVAFX_LIBS, "\tlibatk-bridge-2.0.so.0 => /lib/libatk-bridge-2.0.so.0 (0x1)");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("installed");
    }

    @Test
    void aHalfInstalledGtkIsFoundThroughItsOwnLibraries() throws Exception {
        Result r = check(JAVAFX_LIBS, "\tlibatk-bridge-2.0.so.0 => not found");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("libatk-bridge-2.0.so.0 not found").contains("apt install libgtk-3-0").contains("dnf install gtk3");
    }
}

package k210studio.app.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import k210studio.ir.project.ProjectFile;
import k210studio.ir.samples.SampleNetworks;
import k210studio.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest {
    @TempDir
    Path dir;

    @Test
    void file_kind_is_judged_by_content_not_by_name() throws Exception {
        Path proj = dir.resolve("p.bin");
        ProjectFile.save(SampleNetworks.briefTwoClassProject(), proj);
        assertThat(FileKind.of(proj)).isEqualTo(FileKind.PROJECT);
        Path tfl = dir.resolve("model.k210proj");
        Files.copy(SharedFixtures.fixture("tflite/nncase_iris.tflite"), tfl);
        assertThat(FileKind.of(tfl)).isEqualTo(FileKind.TFLITE);
        assertThat(FileKind.of(SharedFixtures.fixture("keras/tinymaix_mnist_dw.h5"))).isEqualTo(FileKind.KERAS_H5);
        Path txt = dir.resolve("a.tflite");
        Files.writeString(txt, "hello");
        assertThat(FileKind.of(txt)).isEqualTo(FileKind.UNKNOWN);
    }

    @Test
    void tflite_import_gives_a_project_with_the_files_layers() throws Exception {
        ModelImporter.Result r = new ModelImporter().importModel(SharedFixtures.fixture("tflite/tinymaix_mnist_dw_float.tflite"), FileKind.TFLITE);
        assertThat(r.project().graph().size()).isGreaterThan(3);
        assertThat(r.project().graph().inputIds()).hasSize(1);
        assertThat(r.incomplete()).isFalse();
    }

    @Test
    void a_broken_tflite_is_refused_with_a_message_naming_the_file() throws Exception {
        byte[] head = Files.readAllBytes(SharedFixtures.fixture("tflite/nncase_iris.tflite"));
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, java.util.Arrays.copyOf(head, 64));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ModelImporter().importModel(cut, FileKind.TFLITE))
                .isInstanceOf(ModelImportException.class).hasMessageContaining("cut.tflite");
    }

    @Test
    void recovery_is_offered_only_when_the_writer_is_gone_and_cleared_after_a_clean_exit() throws Exception {
        RecoveryStore s = new RecoveryStore(dir.resolve("home"));
        assertThat(s.pending()).isEmpty();
        s.startSession();
        s.write(ProjectFile.toBytes(SampleNetworks.briefTwoClassProject()), dir.resolve("x.k210proj"));
        // our own live session wrote it: a second look from this process still sees it as pending
        // (the lock holds our pid), but a lock from another live process hides it
        Files.writeString(dir.resolve("home/session.lock"), Long.toString(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L)));
        assertThat(s.pending()).isEmpty();
        Files.writeString(dir.resolve("home/session.lock"), "999999999");
        assertThat(s.pending()).isPresent();
        assertThat(s.pending().get().origin()).isEqualTo(dir.resolve("x.k210proj").toAbsolutePath());
        assertThat(ProjectFile.load(s.pending().get().file()).graph()).isEqualTo(SampleNetworks.briefTwoClass());
        s.endSession();
        assertThat(s.pending()).isEmpty();
    }

    @Test
    void recent_files_keep_the_newest_first_without_duplicates() throws Exception {
        RecentFiles r = new RecentFiles(dir.resolve("recent.txt"));
        Path a = Files.writeString(dir.resolve("a"), "");
        Path b = Files.writeString(dir.resolve("b"), "");
        r.add(a);
        r.add(b);
        r.add(a);
        assertThat(new RecentFiles(dir.resolve("recent.txt")).list()).containsExactly(a.toAbsolutePath(), b.toAbsolutePath());
    }
}

package io.driftguard.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root runs the mount helper only from a trusted folder; protect adopts an earlier run's mounts instead of stacking. */
class ReadOnlyMountsTest {
    private static final String ROOT = "812 790 0:52 / / rw,relatime - overlay overlay rw,lowerdir=/l";

    @Test
    void aReadOnlyBindOfThePathOntoItselfIsAnEarlierRunsMountAndStackedOnesAreCounted() {
        List<ProcFs.Mount> once = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc ro,relatime - overlay overlay rw"));
        List<ProcFs.Mount> stacked = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc ro,relatime - overlay overlay rw",
                "901 900 0:52 /etc /etc ro,relatime - overlay overlay rw"));
        assertThat(ReadOnlyMounts.earlierMounts(once, "/etc")).isEqualTo(1);
        assertThat(ReadOnlyMounts.earlierMounts(stacked, "/etc")).isEqualTo(2);
        assertThat(ReadOnlyMounts.earlierMounts(stacked, "/usr")).isZero();
    }

    @Test
    void aVolumeOrAWritableBindIsNotProtectsMount() {
        List<ProcFs.Mount> volume = ProcFs.mountinfo(List.of(ROOT, "900 812 8:1 /vol /etc ro,relatime - ext4 /dev/sda1 rw"));
        List<ProcFs.Mount> writable = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc rw,relatime - overlay overlay rw"));
        assertThat(ReadOnlyMounts.earlierMounts(volume, "/etc")).isZero();
        assertThat(ReadOnlyMounts.earlierMounts(writable, "/etc")).isZero();
    }

    @TempDir
    Path tmp;

    private Path helpers(String dirMode, String fileMode) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("helpers"));
        Path helper = Files.writeString(dir.resolve(ReadOnlyMounts.HELPER), "#!/bin/sh\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString(fileMode));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dirMode));
        return dir;
    }

    @Test
    void aTrustedHelperIsUsed() throws IOException {
        Path dir = helpers("rwxr-xr-x", "rwxr-xr-x");
        assertThatCode(() -> ReadOnlyMounts.at(dir)).doesNotThrowAnyException();
    }

    @Test
    void aHelperInAFolderOthersCanWriteIsRefused() throws IOException {
        Path dir = helpers("rwxrwxrwx", "rwxr-xr-x");
        assertThatThrownBy(() -> ReadOnlyMounts.at(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to use " + dir.resolve(ReadOnlyMounts.HELPER))
                .hasMessageContaining("writable by others (mode 0777");
    }

    @Test
    void aHelperItsGroupCanWriteIsRefused() throws IOException {
        Path dir = helpers("rwxr-xr-x", "rwxrwxr-x");
        assertThatThrownBy(() -> ReadOnlyMounts.at(dir)).hasMessageContaining("writable by its group");
    }

    @Test
    void aMissingHelperNamesTheSetting() {
        assertThatThrownBy(() -> ReadOnlyMounts.at(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("no executable driftguard-protect helper at " + tmp.resolve(ReadOnlyMounts.HELPER))
                .hasMessageContaining("[daemon] helpers_dir");
    }
}

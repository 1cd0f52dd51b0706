package io.driftguard.daemon.files;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root runs the mount helper only from a trusted folder, never from one others can write. */
class ReadOnlyMountsTest {
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

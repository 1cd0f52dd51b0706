package io.driftguard.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedPathTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderOthersCanWriteIsRefusedNamingTheFix() throws IOException {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> TrustedPath.require(state)).hasMessageContaining("refusing to use " + state)
                .hasMessageContaining("writable by others (mode 0777; chmod go-w " + state + ")");
        assertThatThrownBy(() -> Database.open(state.resolve("driftguard.db"))).hasMessageContaining("writable by others");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-x---"));
        assertThatCode(() -> TrustedPath.require(state)).doesNotThrowAnyException();
    }

    @Test
    void aFolderBelowAWritableParentIsRefusedUnlessTheParentIsSticky() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path state = Files.createDirectory(shared.resolve("state"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> TrustedPath.require(state)).hasMessageContaining(shared + " is writable by others");
        Files.setAttribute(shared, "unix:mode", 01777);
        assertThatCode(() -> TrustedPath.require(state)).as("as in /tmp").doesNotThrowAnyException();
    }

    @Test
    void aStoreThatExistsAlreadyIsMadePrivate() throws Exception {
        Path file = tmp.resolve("driftguard.db");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (Database database = Database.open(file)) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }
}

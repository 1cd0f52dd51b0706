package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon, run as root, trusts its state folder (store, control socket, helper) only as sshd's StrictModes would. */
class StatePathsIT {
    @TempDir
    Path tmp;

    @Test
    void aStateFolderOthersCanWriteIsRefusedAndAnOpenStoreMadePrivate() throws Exception {
        DaemonProcess daemon = new DaemonProcess(tmp);
        daemon.policy("shells.toml", "[[policy]]\nname = \"P\"\nmatch.labels = { app = \"dg-it-nobody\" }\n"
                + "[[policy.process]]\naction = \"block\"\nnames = [\"bash\"]\n");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Process refused = new ProcessBuilder("java", "-jar", DaemonProcess.jar().toString(), "daemon", "--config",
                daemon.config().toString()).redirectErrorStream(true).start();
        String output = new String(refused.getInputStream().readAllBytes());
        assertThat(refused.waitFor()).isNotZero();
        assertThat(output).contains("refusing to use " + state, "writable by others (mode 0777").doesNotContain("\tat ");
        assertThat(state.resolve("driftguard-protect")).doesNotExist();

        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Path store = state.resolve("driftguard.db");
        Files.createFile(store, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try (DaemonProcess running = daemon.start()) {
            assertThat(Files.getPosixFilePermissions(store)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }
}

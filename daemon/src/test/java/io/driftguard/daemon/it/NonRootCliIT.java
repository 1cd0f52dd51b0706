package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user who is not root runs the commands that talk to the daemon: told "permission denied ...:
 * run as root" (exit 4), never "not running" and never a stack trace.
 */
class NonRootCliIT {
    private static final String NOBODY = "65534";

    private Path dir;

    @BeforeEach
    void worldReadableFolder() throws Exception {
        // JUnit's @TempDir is 0700: the other user must be able to read the config, as /etc/driftguard's is.
        dir = Files.createTempDirectory("dg-nonroot-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void removeFolder() {
        DockerCli.exec(List.of("rm", "-rf", dir.toString()));
    }

    @Test
    void statusIsolateAndReleaseSayPermissionDenied() throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir);
        daemon.policy("shells.toml", "[[policy]]\nname = \"P\"\nmatch.labels = { app = \"dg-it-nonroot\" }\n"
                + "[[policy.process]]\naction = \"block\"\nnames = [\"bash\"]\n");
        try (DaemonProcess running = daemon.start()) {
            Path socket = dir.resolve("state/driftguard.sock");
            for (List<String> command : List.of(List.of("status"), List.of("isolate", "some-container"),
                    List.of("release", "some-container"))) {
                DockerCli.Result result = asNobody(running, command);
                assertThat(result.exit()).as("%s: %s", command, result).isEqualTo(4);
                assertThat(result.err()).as("%s", command).contains("permission denied on " + socket + ": run as root")
                        .doesNotContain("not running", "\tat ", "Exception");
            }
            assertThat(running.cli("status").exit()).as("root is let in").isZero();
        }
    }

    private static DockerCli.Result asNobody(DaemonProcess daemon, List<String> args) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "java", "-XX:TieredStopAtLevel=1", "-jar", DaemonProcess.jar().toString()));
        command.addAll(args);
        command.addAll(List.of("--config", daemon.config().toString()));
        return DockerCli.exec(command);
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon per state folder and control socket: a second daemon on the same config, or on
 * another store but the same socket, refuses to start and names the first, which keeps working
 * and keeps its socket. A daemon killed with SIGKILL leaves its socket file behind; the next one
 * starts anyway.
 */
class SingleInstanceIT {
    @TempDir
    Path tmp;

    @Test
    void aSecondDaemonIsRefusedAndTheFirstKeepsItsSocket() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        try (DaemonProcess first = new DaemonProcess(tmp)) {
            first.policy("p.toml", """
                    [[policy]]
                    name = "Nothing"
                    match.labels = { app = "dg-it-single-none" }
                    [[policy.process]]
                    action = "alert"
                    names = ["nc"]
                    """);
            first.start();
            long pid = first.process().pid();
            Path socket = tmp.resolve("state/driftguard.sock");
            Object socketKey = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

            Refusal same = runToEnd(first.config(), tmp.resolve("second.log"));
            assertThat(same.exit()).as(same.output()).isEqualTo(1);
            assertThat(same.output()).contains("another driftguard daemon (pid " + pid + ") uses the state folder " + tmp.resolve("state"))
                    .doesNotContain("Exception", "\tat ");

            // Another store, the same control socket.
            Path other = tmp.resolve("other.toml");
            Files.writeString(other, Files.readString(first.config())
                    .replace("path = \"state/driftguard.db\"", "path = \"other-state/driftguard.db\"")
                    .replace("control_socket = \"state/driftguard.sock\"", "control_socket = \"" + socket + "\"")
                    .replace("socket = \"state/authz.sock\"", "socket = \"other-state/authz.sock\""));
            Refusal sameSocket = runToEnd(other, tmp.resolve("third.log"));
            assertThat(sameSocket.exit()).as(sameSocket.output()).isEqualTo(1);
            assertThat(sameSocket.output()).contains("another driftguard daemon (pid " + pid + ") uses the control socket " + socket);

            assertThat(first.status()).as("the first still answers").isNotNull();
            assertThat(first.status().path("pid").asLong()).isEqualTo(pid);
            assertThat(Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                    .as("the refused daemons left the first one's socket alone").isEqualTo(socketKey);
            assertThat(first.cli("status").exit()).isZero();

            first.signal("KILL");
            first.process().waitFor(30, TimeUnit.SECONDS);
            assertThat(socket).as("SIGKILL leaves the socket file").exists();
            try (DaemonProcess next = new DaemonProcess(tmp)) {
                next.start();
                assertThat(next.status().path("pid").asLong()).isEqualTo(next.process().pid());
                assertThat(next.stop()).isZero();
                assertThat(socket).as("a stopping daemon removes its own socket").doesNotExist();
            }
        }
    }

    private record Refusal(int exit, String output) {
    }

    /** Runs a daemon that is expected to refuse; a daemon that starts is killed after 60 s (and fails the test). */
    private static Refusal runToEnd(Path config, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", DaemonProcess.jar().toString(),
                "daemon", "--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the second daemon did not refuse to start: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Refusal(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}

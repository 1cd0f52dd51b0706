package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd restarted under a running daemon. The test runs a private Docker engine of its own
 * (own socket, data and exec roots), so that restarting it disturbs no other container.
 */
class DockerRestartIT {
    @TempDir
    Path tmp;

    private PrivateEngine engine;
    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeEach
    void startEngine() throws Exception {
        engine = PrivateEngine.launch().awaitReadyWithImage();
        docker = new DockerCli("dg-it-restart", engine.host());
        daemon = new DaemonProcess(tmp.resolve("daemon"));
        Files.writeString(daemon.config(), Files.readString(daemon.config()) + "[docker]\nsocket = \"" + engine.host() + "\"\n");
        daemon.policy("shells.toml", """
                [[policy]]
                name = "BlockShells"
                match.labels = { app = "dg-it-restart" }
                [[policy.process]]
                action = "block"
                names = ["sh", "bash"]
                """);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (docker != null) {
            docker.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void reconnectsAndAttachesContainersStartedMeanwhile() throws Exception {
        daemon.start();
        String before = docker.start("app=dg-it-restart");
        daemon.awaitAttached(docker.id(before));

        engine.stop();
        daemon.awaitOutput("lost the Docker connection");
        engine.start();
        String after = docker.start("app=dg-it-restart");
        String afterId = docker.id(after);
        daemon.awaitAttached(afterId);
        assertThat(docker.execIn(after, "sh", "-c", "true").exit()).isNotZero();
        assertThat(daemon.status().path("docker_connected").asBoolean()).isTrue();
        assertThat(daemon.attached(docker.id(before))).as("the container that died with dockerd is released").isFalse();
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    private Path engineDir;
    private String host;
    private Process engine;
    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeEach
    void startEngine() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        Prerequisites.requireCommand("dockerd");
        engineDir = Files.createTempDirectory(Path.of("/tmp"), "dg-eng");
        host = "unix://" + engineDir.resolve("docker.sock");
        startDockerd();
        Path image = tmp.resolve("image.tar");
        assertThat(DockerCli.run("save", "-o", image.toString(), DockerCli.IMAGE).exit()).isZero();
        docker = new DockerCli("dg-it-restart", host);
        DockerCli.Result load = docker.docker("load", "-i", image.toString());
        assertThat(load.exit()).as(load.all()).isZero();
        daemon = new DaemonProcess(tmp.resolve("daemon"));
        Files.writeString(daemon.config(), Files.readString(daemon.config()) + "[docker]\nsocket = \"" + host + "\"\n");
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
        stopDockerd();
        if (engineDir != null) {
            DockerCli.exec(List.of("rm", "-rf", "--one-file-system", engineDir.toString()));
        }
    }

    @Test
    void reconnectsAndAttachesContainersStartedMeanwhile() throws Exception {
        daemon.start();
        String before = docker.start("app=dg-it-restart");
        daemon.awaitAttached(docker.id(before));

        stopDockerd();
        daemon.awaitOutput("lost the Docker connection");
        startDockerd();
        String after = docker.start("app=dg-it-restart");
        String afterId = docker.id(after);
        daemon.awaitAttached(afterId);
        assertThat(docker.execIn(after, "sh", "-c", "true").exit()).isNotZero();
        assertThat(daemon.status().path("docker_connected").asBoolean()).isTrue();
        assertThat(daemon.attached(docker.id(before))).as("the container that died with dockerd is released").isFalse();
    }

    private void startDockerd() throws IOException, InterruptedException {
        engine = new ProcessBuilder("dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false",
                "--data-root", engineDir.resolve("data").toString(), "--exec-root", engineDir.resolve("exec").toString(),
                "--pidfile", engineDir.resolve("docker.pid").toString(), "-H", host)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(engineDir.resolve("dockerd.log").toFile()))
                .start();
        DaemonProcess.waitFor(Duration.ofSeconds(60), () -> new DockerCli("probe", host).docker("info").exit() == 0,
                "private dockerd at " + host);
    }

    private void stopDockerd() throws InterruptedException {
        if (engine != null && engine.isAlive()) {
            engine.destroy();
            if (!engine.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                engine.destroyForcibly().waitFor();
            }
        }
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the test's own (socket, data and exec roots, pidfile in a temporary folder),
 * so that restarting it or giving it a plugin disturbs no other test. The shell test image is
 * loaded into it.
 */
public final class PrivateEngine implements AutoCloseable {
    private final Path dir;
    private final String host;
    private final List<String> extraArgs;
    private Process engine;

    private PrivateEngine(Path dir, List<String> extraArgs) {
        this.dir = dir;
        this.host = "unix://" + dir.resolve("docker.sock");
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** A new engine started with {@code extraArgs} (such as --authorization-plugin=NAME); not yet waited for. */
    public static PrivateEngine launch(String... extraArgs) throws IOException {
        Prerequisites.requireImage(DockerCli.IMAGE);
        Prerequisites.requireCommand("dockerd");
        PrivateEngine engine = new PrivateEngine(Files.createTempDirectory(Path.of("/tmp"), "dg-eng"), List.of(extraArgs));
        engine.startProcess();
        return engine;
    }

    public String host() {
        return host;
    }

    public Path pidfile() {
        return dir.resolve("docker.pid");
    }

    public Path log() {
        return dir.resolve("dockerd.log");
    }

    /** Waits until the engine answers, then loads the shell test image from the host's engine. */
    public PrivateEngine awaitReadyWithImage() throws Exception {
        awaitReady();
        Path image = dir.resolve("image.tar");
        if (!Files.exists(image)) {
            assertThat(DockerCli.run("save", "-o", image.toString(), DockerCli.IMAGE).exit()).isZero();
        }
        DockerCli.Result load = new DockerCli("load", host).docker("load", "-i", image.toString());
        assertThat(load.exit()).as(load.all()).isZero();
        return this;
    }

    public void awaitReady() throws InterruptedException {
        DaemonProcess.waitFor(Duration.ofSeconds(90), () -> new DockerCli("probe", host).docker("info").exit() == 0,
                "private dockerd at " + host);
    }

    public void start() throws Exception {
        startProcess();
        awaitReady();
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of("dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false",
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", pidfile().toString(), "-H", host));
        command.addAll(extraArgs);
        engine = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    public void stop() throws InterruptedException {
        if (engine != null && engine.isAlive()) {
            engine.destroy();
            if (!engine.waitFor(60, TimeUnit.SECONDS)) {
                engine.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        DockerCli.exec(List.of("rm", "-rf", "--one-file-system", dir.toString()));
    }
}

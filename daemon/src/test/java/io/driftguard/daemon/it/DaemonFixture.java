package io.driftguard.daemon.it;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What most daemon ITs set up: a daemon with the test's policies, the Docker CLI its containers
 * are started with (on the host's engine, or on a {@link PrivateEngine} whose authorization
 * plugin the daemon serves) and a way to start a container and wait until the daemon attached
 * it. Closing it removes the containers, then stops the engine and the daemon, then deletes the
 * folder it made.
 */
public final class DaemonFixture implements AutoCloseable {
    private final String prefix;
    private final Path dir;
    private final boolean ownsDir;
    private final DaemonProcess daemon;
    private final String plugin = "driftguard-" + UUID.randomUUID().toString().substring(0, 8);
    private DockerCli docker;
    private PrivateEngine engine;
    private boolean engineReady;

    private DaemonFixture(String prefix, Path dir, boolean ownsDir, Path daemonDir) throws IOException {
        this.prefix = prefix;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.daemon = new DaemonProcess(daemonDir);
    }

    /** A daemon in {@code dir} (a {@code @TempDir}) on the host's engine; containers are named PREFIX-RANDOM. */
    public static DaemonFixture onHostEngine(Path dir, String prefix) throws IOException {
        Prerequisites.requireImage(DockerCli.IMAGE);
        DaemonFixture fixture = new DaemonFixture(prefix, dir, false, dir);
        fixture.docker = new DockerCli(prefix);
        return fixture;
    }

    /**
     * A daemon for a private engine, in DIR/daemon of a new folder under /tmp (made PREFIX-RANDOM,
     * deleted on close), where the test may put what the engine reads before {@link #launchEngine}.
     */
    public static DaemonFixture forPrivateEngine(String prefix) throws IOException {
        Prerequisites.requireImage(DockerCli.IMAGE);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        return new DaemonFixture(prefix, dir, true, dir.resolve("daemon"));
    }

    /**
     * Launches the private engine with {@code dockerdArgs} (not waited for: {@link #start} and
     * {@link #readyEngine} do that) and points the daemon at it, serving the authorization plugin
     * {@link #plugin()}; with {@code authorizedByPlugin}, dockerd asks that plugin from its start.
     */
    public PrivateEngine launchEngine(boolean authorizedByPlugin, String... dockerdArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(dockerdArgs));
        if (authorizedByPlugin) {
            args.add("--authorization-plugin=" + plugin);
        }
        engine = PrivateEngine.launch(args.toArray(String[]::new));
        daemon.useEngineWithPlugin(engine.host(), plugin);
        docker = new DockerCli(prefix, engine.host());
        return engine;
    }

    /** The private engine, answering and with the shell test image loaded. */
    public PrivateEngine readyEngine() throws Exception {
        if (!engineReady) {
            engine.awaitReadyWithImage();
            engineReady = true;
        }
        return engine;
    }

    public DaemonFixture policy(String fileName, String toml) throws IOException {
        daemon.policy(fileName, toml);
        return this;
    }

    /** Starts the daemon; with a private engine, waits until that is ready too (it may ask the daemon's plugin first). */
    public DaemonFixture start() throws Exception {
        daemon.start();
        if (engine != null) {
            readyEngine();
        }
        return this;
    }

    /** Starts a sleeping test container with {@code labels} ("k=v") and no network, once the daemon attached it; its name. */
    public String attached(String... labels) throws InterruptedException {
        return attachedOn("none", labels);
    }

    /** The same on the host's network ("host") or none ("none"). */
    public String attachedOn(String network, String... labels) throws InterruptedException {
        String name = docker.startOn(network, labels);
        daemon.awaitAttached(docker.id(name));
        return name;
    }

    public DaemonProcess daemon() {
        return daemon;
    }

    public DockerCli docker() {
        return docker;
    }

    /** The private engine; null on the host's. */
    public PrivateEngine engine() {
        return engine;
    }

    /** The folder of the test's files; for a private engine, the daemon's are in its "daemon" folder. */
    public Path dir() {
        return dir;
    }

    /** The authorization plugin's name, unique to this fixture (dockerd finds it in /run/docker/plugins). */
    public String plugin() {
        return plugin;
    }

    @Override
    public void close() throws Exception {
        try {
            if (docker != null) {
                docker.close();
            }
        } finally {
            try {
                if (engine != null) {
                    engine.close();
                }
            } finally {
                daemon.close();
                if (ownsDir) {
                    DockerCli.exec(List.of("rm", "-rf", dir.toString()));
                }
            }
        }
    }
}

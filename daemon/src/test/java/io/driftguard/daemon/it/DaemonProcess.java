package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.daemon.app.ControlClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The daemon as users run it: the built jar in its own process, with a config, a policies folder,
 * a store and a control socket in a temporary folder. Its output is kept in a file for assertions.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path config;
    private final Path log;
    private Process process;

    public DaemonProcess(Path dir) throws IOException {
        this(dir, "decision_timeout = \"2s\"");
    }

    /** A daemon whose [enforcement] section holds {@code enforcement}. */
    public DaemonProcess(Path dir, String enforcement) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("driftguard.toml");
        this.log = dir.resolve("daemon.log");
        Files.createDirectories(dir.resolve("policies.d"));
        Files.writeString(config, """
                [policies]
                dir = "policies.d"
                [store]
                path = "state/driftguard.db"
                [log]
                level = "debug"
                events = ["stdout"]
                [daemon]
                control_socket = "state/driftguard.sock"
                [admission]
                socket = "state/authz.sock"
                [enforcement]
                """ + enforcement + "\n");
    }

    public static Path jar() {
        Path repo = Path.of(System.getenv().getOrDefault("DRIFTGUARD_REPO", Path.of("").toAbsolutePath().getParent().toString()));
        Path jar = repo.resolve("daemon/target/driftguard.jar");
        assertThat(jar).as("the daemon jar is built before integration tests").exists();
        return jar;
    }

    public Path config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Points the daemon at a private engine and serves the authorization plugin {@code plugin}
     * where dockerd looks it up (/run/docker/plugins/PLUGIN.sock).
     */
    public void useEngineWithPlugin(String engineHost, String plugin) throws IOException {
        Files.writeString(config, Files.readString(config)
                .replace("socket = \"state/authz.sock\"", "socket = \"/run/docker/plugins/" + plugin + ".sock\"")
                + "[docker]\nsocket = \"" + engineHost + "\"\n");
    }

    /** Rewrites the config file, e.g. to add keys to a section. */
    public void editConfig(java.util.function.UnaryOperator<String> edit) throws IOException {
        Files.writeString(config, edit.apply(Files.readString(config)));
    }

    /** Adds a [runtime] section (the start hook's settings) holding {@code toml}. */
    public void runtime(String toml) throws IOException {
        Files.writeString(config, Files.readString(config) + "[runtime]\n" + toml + "\n");
    }

    /** The runtime wrapper the build made (driftguard-runtime.c). */
    public static Path runtimeWrapper() {
        Path wrapper = jar().resolveSibling("native").resolve("driftguard-runtime");
        assertThat(wrapper).as("the runtime wrapper is built before integration tests").exists();
        return wrapper;
    }

    /** Points the daemon at a private engine, serving no authorization plugin. */
    public void useEngine(String engineHost) throws IOException {
        Files.writeString(config, Files.readString(config).replace("socket = \"state/authz.sock\"", "socket = \"\"")
                + "[docker]\nsocket = \"" + engineHost + "\"\n");
    }

    public void policy(String fileName, String toml) throws IOException {
        Files.writeString(dir.resolve("policies.d").resolve(fileName), toml);
    }

    /** Starts the daemon and waits until it answers on its control socket. */
    public DaemonProcess start() throws Exception {
        process = new ProcessBuilder(command("daemon")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            JsonNode status = status();
            if (status != null && status.path("ready").asBoolean()) {
                return this;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("daemon not ready on its control socket (" + (process.isAlive() ? "still starting after 60 s"
                : "exited with " + process.exitValue()) + "); its log ends:\n" + tail(output(), 4000));
    }

    /** Runs a CLI command of the same jar with this config. */
    public DockerCli.Result cli(String... args) {
        return DockerCli.exec(command(args));
    }

    /** {@code driftguard docker SUBCOMMAND} (setup, undo) against a private engine's daemon.json and pidfile. */
    public DockerCli.Result dockerSetup(String subcommand, PrivateEngine engine, Path daemonJson) {
        return cli("docker", subcommand, "--daemon-json", daemonJson.toString(), "--pidfile", engine.pidfile().toString());
    }

    /** Runs a CLI command of the jar as given, without --config. */
    public static DockerCli.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return DockerCli.exec(command);
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        command.add("--config");
        command.add(config.toString());
        return command;
    }

    public Process process() {
        return process;
    }

    private static String tail(String text, int chars) {
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The daemon's status answer, or null when it does not answer. */
    public JsonNode status() {
        try {
            return JSON.readTree(ControlClient.request(dir.resolve("state/driftguard.sock"), "status"));
        } catch (IOException e) {
            return null;
        }
    }

    public boolean attached(String containerId) {
        JsonNode status = status();
        if (status == null) {
            return false;
        }
        for (JsonNode c : status.path("containers")) {
            if (c.path("container_id").asText().equals(containerId) && c.path("error").isNull()) {
                return true;
            }
        }
        return false;
    }

    public void awaitAttached(String containerId) throws InterruptedException {
        waitFor(Duration.ofSeconds(30), () -> attached(containerId), "attach to " + containerId);
    }

    public void awaitDetached(String containerId) throws InterruptedException {
        waitFor(Duration.ofSeconds(30), () -> !attached(containerId), "detach from " + containerId);
    }

    public void awaitOutput(String text) throws InterruptedException {
        waitFor(Duration.ofSeconds(30), () -> {
            try {
                return output().contains(text);
            } catch (IOException e) {
                return false;
            }
        }, "daemon output containing '" + text + "'");
    }

    public void signal(String signal) {
        DockerCli.exec(List.of("kill", "-" + signal, Long.toString(process.pid())));
    }

    public static void waitFor(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** SIGTERM, and the exit code. */
    public int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}

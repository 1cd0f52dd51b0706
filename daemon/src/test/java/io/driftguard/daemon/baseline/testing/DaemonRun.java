package io.driftguard.daemon.baseline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The daemon jar run as a user runs it, on a config in a temporary folder: events go to stdout as
 * JSON lines, which this collects. Stopped with SIGTERM, so that it releases every container.
 */
public final class DaemonRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path JAR = Path.of("target/driftguard.jar").toAbsolutePath();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path dir;

    private DaemonRun(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // The daemon stopped.
            }
        }, "daemon-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Writes driftguard.toml and policies/test.toml into {@code dir} (keeping state/), starts the daemon. */
    public static DaemonRun start(Path dir, String policyToml) throws Exception {
        writeConfig(dir, policyToml);
        Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "daemon", "--config",
                dir.resolve("driftguard.toml").toString()).redirectErrorStream(true).start();
        DaemonRun run = new DaemonRun(process, dir);
        run.awaitLine(l -> l.contains("Daemon: running"), Duration.ofSeconds(60), "daemon start");
        return run;
    }

    /** The config a test daemon and the CLI run with; returns the config file. */
    public static String writeConfig(Path dir, String policyToml) throws IOException {
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("driftguard.toml"), """
                [policies]
                dir = "policies"
                [store]
                path = "state/driftguard.db"
                [log]
                events = ["stdout"]
                [daemon]
                control_socket = "state/ctl.sock"
                """);
        Files.writeString(dir.resolve("policies/test.toml"), policyToml);
        return dir.resolve("driftguard.toml").toString();
    }

    public Path dir() {
        return dir;
    }

    public String config() {
        return dir.resolve("driftguard.toml").toString();
    }

    public String awaitLine(Predicate<String> matching, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            synchronized (lines) {
                for (String line : lines) {
                    if (matching.test(line)) {
                        return line;
                    }
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no daemon output for " + what + " within " + timeout + "; output:\n" + output());
    }

    /** Replaces the policy file and sends SIGHUP; returns once the daemon says it reloaded. */
    public void reload(String policyToml) throws Exception {
        long before = count("INFO Daemon: reloaded");
        Files.writeString(dir.resolve("policies/test.toml"), policyToml);
        Cmd.run("kill", "-HUP", Long.toString(process.pid()));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count("INFO Daemon: reloaded") == before) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no reload; output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    private long count(String text) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }
    }

    public void awaitAttached(String container) throws InterruptedException {
        awaitLine(l -> l.contains("attached to container " + container + " "), Duration.ofSeconds(60), "attach of " + container);
    }

    /** Events printed so far, as JSON. */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("{")) {
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException notJson) {
                        // A log line that starts with a brace.
                    }
                }
            }
        }
        return events;
    }

    public JsonNode awaitEvent(Predicate<JsonNode> matching, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            for (JsonNode event : events()) {
                if (matching.test(event)) {
                    return event;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no event " + what + "; output:\n" + output());
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Runs a driftguard command against this daemon's config. */
    public static Cmd cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return Cmd.run(command);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

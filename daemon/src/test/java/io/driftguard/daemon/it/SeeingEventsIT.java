package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a running daemon: {@code events --follow} printing a blocked exec that
 * happens after it started, its filters and JSON, and {@code status} and {@code events} read as
 * tables in a real 80-column terminal (tmux).
 */
class SeeingEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static DaemonFixture fixture;
    private static DaemonProcess daemon;
    private static DockerCli docker;

    @BeforeAll
    static void startDaemon() throws Exception {
        fixture = DaemonFixture.onHostEngine(tmp, "dg-it-see");
        daemon = fixture.daemon();
        docker = fixture.docker();
        fixture.policy("10-bash.toml", """
                [[policy]]
                name = "NoBash"
                match.labels = { app = "dg-it-see" }
                [[policy.process]]
                name = "no-bash"
                action = "block"
                names = ["bash"]
                """).start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A CLI process left running (--follow), its output lines collected as they come. */
    private static final class Follower implements AutoCloseable {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Follower(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar",
                    DaemonProcess.jar().toString()));
            command.addAll(List.of(args));
            command.addAll(List.of("--config", daemon.config().toString()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ended) {
                    // The process was stopped.
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        List<String> snapshot() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void followPrintsABlockedExecThatHappensAfterItStarted() throws Exception {
        String name = fixture.attached("app=dg-it-see");
        String since = Instant.now().toString();
        try (Follower table = new Follower("events", "--follow", "--container", name);
             Follower json = new Follower("events", "-f", "--json", "--since", since, "--kind", "process",
                     "--action", "blocked", "--severity", "high", "--policy", "NoBash", "--rule", "no-bash",
                     "--container", docker.id(name).substring(0, 12));
             Follower none = new Follower("events", "-f", "--json", "--since", since, "--kind", "network")) {
            // The header is printed once the follower has taken its starting point.
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> !table.snapshot().isEmpty(), "the follower's header");
            assertThat(table.snapshot().get(0)).startsWith("TIME").contains("SEVERITY", "ACTION", "CONTAINER", "MESSAGE");

            DockerCli.Result bash = docker.execIn(name, "bash", "-c", "echo ran");
            assertThat(bash.all()).containsIgnoringCase("operation not permitted");

            DaemonProcess.waitFor(Duration.ofSeconds(20), () -> table.snapshot().stream()
                    .anyMatch(l -> l.contains("blocked") && l.contains(name)), "the blocked exec in the followed table");
            assertThat(table.snapshot()).anySatisfy(l -> assertThat(l)
                    .matches("\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +high +process +blocked +" + name
                            + " +NoBash +Blocked exec of /bin/bash in container " + name + ".*"));
            DaemonProcess.waitFor(Duration.ofSeconds(20), () -> !json.snapshot().isEmpty(), "the blocked exec as JSON");
            JsonNode event = JSON.readTree(json.snapshot().get(0));
            assertThat(event.path("action").asText()).isEqualTo("blocked");
            assertThat(event.path("rule").asText()).isEqualTo("no-bash");
            assertThat(event.path("container_name").asText()).isEqualTo(name);
            assertThat(event.path("process").path("path").asText()).isEqualTo("/bin/bash");
            assertThat(table.process.isAlive()).as("still following").isTrue();
            assertThat(none.snapshot()).as("a filter that matches nothing prints nothing").isEmpty();
        }
        DockerCli.Result filtered = daemon.cli("events", "--json", "--container", name, "--severity", "critical");
        assertThat(filtered.exit()).as(filtered.all()).isZero();
        assertThat(filtered.out()).isBlank();
        DockerCli.Result bad = daemon.cli("events", "--kind", "procss");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown kind 'procss'; valid: process, file,").doesNotContain("Exception");
    }

    @Test
    void execEventsNameTheUserAsTheContainerKnowsItAndTheParent() throws Exception {
        String name = fixture.attached("app=dg-it-see");
        assertThat(docker.execIn(name, "sh", "-c", "echo 'www-data:x:33:33:www-data:/var/www:/bin/false' >> /etc/passwd").exit()).isZero();
        DockerCli.Result bash = docker.docker("exec", "-u", "33", name, "sh", "-c", "bash -c 'echo ran'; sleep 2; echo done");
        assertThat(bash.all()).containsIgnoringCase("operation not permitted").doesNotContain("ran\n");
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> daemon.cli("events", "--json", "--container", name, "--action", "blocked")
                .out().contains("\"user\""), "the blocked exec with its user");
        JsonNode event = JSON.readTree(daemon.cli("events", "--json", "--container", name, "--action", "blocked").out().lines()
                .filter(l -> l.contains("\"user\"")).findFirst().orElseThrow());
        JsonNode process = event.path("process");
        assertThat(process.path("user").asText()).isEqualTo("www-data");
        assertThat(process.path("uid").asInt()).isEqualTo(33);
        assertThat(process.path("parent").path("pid").asInt()).isPositive();
        assertThat(process.path("parent").path("comm").asText()).isEqualTo("sh");
        assertThat(event.path("message").asText()).endsWith("; started by user 'www-data' (uid 33)");
        assertThat(event.path("details").has("mode")).as("not an audit-mode policy").isFalse();
    }

    @Test
    void statusAndEventsReadAsTablesAt80Columns() throws Exception {
        Prerequisites.requireCommand("tmux");
        String selected = fixture.attached("app=dg-it-see");
        String unselected = docker.start();
        docker.execIn(selected, "bash", "-c", "echo ran");
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> daemon.cli("events", "--container", selected).out()
                .contains("blocked"), "the blocked exec recorded");

        String cli = "java -XX:TieredStopAtLevel=1 -jar " + DaemonProcess.jar() + " ";
        String config = " --config " + daemon.config() + "\n";
        Path script = tmp.resolve("terminal.sh");
        Files.writeString(script, cli + "status" + config + cli + "events" + config + "echo END-OF-CHECK\nsleep 60\n");
        String socket = "dg-it-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            DockerCli.Result started = DockerCli.exec(List.of("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                    "-x", "80", "-y", "200", "sh " + script));
            assertThat(started.exit()).as(started.all()).isZero();
            DaemonProcess.waitFor(Duration.ofSeconds(60), () -> pane(socket, false).contains("END-OF-CHECK"), "both commands in tmux");
            String screen = pane(socket, false);
            List<String> lines = screen.lines().toList();
            assertThat(lines).as(screen).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l).startsWith("driftguard is running"));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l).matches("Containers: \\d+ attached of \\d+ running"));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l)
                    .startsWith("  not attached: " + unselected + ": not selected by any policy ("));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l).matches("  KIND +RULE +ACTION +MECHANISM"));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l).matches("TIME +SEVERITY +ACTION +CONTAINER +MESSAGE"));
            assertThat(lines).as(screen).anySatisfy(l -> assertThat(l)
                    .matches("\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d high +blocked +dg-it-see-.* Blocked exec of .*"));
            assertThat(pane(socket, true)).as("a severity in colour on the terminal").contains("\u001b[31m");
        } finally {
            DockerCli.exec(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    /** The pane's text, wrapped lines joined (so a line too long for 80 columns shows as one); with escapes if asked. */
    private static String pane(String socket, boolean escapes) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-"));
        if (escapes) {
            command.add("-e");
        }
        return DockerCli.exec(command).out();
    }
}

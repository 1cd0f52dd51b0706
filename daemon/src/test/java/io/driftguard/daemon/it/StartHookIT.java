package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime wrapper and its start hook on a private dockerd, set up as a user would with
 * {@code driftguard docker setup}: a selected container's first exec is judged by the attached
 * fanotify guard (EPERM, not a kill after the fact), containers no policy selects start without
 * waiting, {@code docker exec} goes straight to runc, and a daemon that does not answer is handled
 * as {@code [runtime] fail} says, with an event once it is back. (AdmissionIT: {@code --runtime=runc} is refused.)
 */
class StartHookIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ESCAPED = "escaped-" + UUID.randomUUID().toString().substring(0, 6);
    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private Path dir;
    private PrivateEngine engine;
    private DaemonProcess daemon;
    private DockerCli docker;

    @AfterEach
    void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (dir != null) {
            DockerCli.exec(List.of("rm", "-rf", dir.toString()));
        }
    }

    @Test
    void theHookAttachesBeforeTheFirstExecAndHonoursTheFailMode() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dg-hook");
        Path daemonJson = dir.resolve("daemon.json");
        Files.writeString(daemonJson, "{}\n");
        engine = PrivateEngine.launch("--config-file", daemonJson.toString());
        engine.awaitReadyWithImage();
        daemon = new DaemonProcess(dir.resolve("daemon"));
        daemon.useEngine(engine.host()); // no plugin: with the daemon down it would refuse every request itself
        daemon.runtime("binary = \"" + DaemonProcess.runtimeWrapper() + "\"\nhook_timeout = \"3s\"");
        daemon.policy("shells.toml", """
                [[policy]]
                name = "NoBash"
                match.labels = { hook = "yes" }
                [[policy.process]]
                action = "block"
                names = ["bash"]
                """);
        daemon.start();
        DockerCli.Result setup = daemon.dockerSetup("setup", engine, daemonJson);
        assertThat(setup.exit()).as(setup.all()).isZero();
        assertThat(setup.out()).contains("runtime driftguard");
        docker = new DockerCli("dg-hook-" + tag, engine.host());
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> docker.docker("info", "--format", "{{.DefaultRuntime}}").out()
                .trim().equals("driftguard"), "dockerd reloaded with driftguard as its default runtime");

        // The container's command is a shell, and an allowed program execs one at once: both fail with EPERM.
        for (List<String> command : List.of(List.of("bash", "-c", "echo " + ESCAPED), List.of("env", "bash", "-c", "echo " + ESCAPED))) {
            String name = "dg-hook-sh-" + tag + "-" + command.get(0);
            DockerCli.Result run = run(name, "--label", "hook=yes", command);
            assertThat(run.out()).as(run.all()).doesNotContain(ESCAPED);
            assertThat(run.exit()).as(run.all()).isNotZero();
            assertThat(run.all().toLowerCase()).as(run.all()).contains("operation not permitted");
            awaitEvent(name, e -> e.path("action").asText().equals("blocked") && e.path("message").asText().contains("bash"));
        }

        // Not selected: answered at once (a hook left waiting would have fallen back), nothing attached.
        DockerCli.Result free = run("dg-hook-free-" + tag, "--label", "hook=no", List.of("bash", "-c", "echo " + ESCAPED));
        assertThat(free.out()).as(free.all()).contains(ESCAPED);
        JsonNode race = daemon.status().path("start_race");
        assertThat(race.path("fallbacks").asLong()).as(race.toString()).isZero();
        assertThat(race.path("mechanism").asText()).isEqualTo("hook");
        assertThat(race.path("not_selected").asLong()).as(race.toString()).isPositive();
        assertThat(race.path("attached_before_first_exec").asLong()).as(race.toString()).isGreaterThanOrEqualTo(2);
        assertThat(daemon.cli("status").out()).contains("Start race: hook");

        // docker exec runs runc directly; the attached guard still judges what it runs.
        String running = "dg-hook-run-" + tag;
        DockerCli.Result started = docker.docker("run", "-d", "--name", running, "--network", "none", "--label", "hook=yes",
                DockerCli.IMAGE);
        assertThat(started.exit()).as(started.all()).isZero();
        docker.track(running);
        assertThat(docker.execIn(running, "cat", "/etc/hostname").exit()).isZero();
        DockerCli.Result shell = docker.execIn(running, "bash", "-c", "echo " + ESCAPED);
        assertThat(shell.out()).doesNotContain(ESCAPED);
        assertThat(shell.exit()).isNotZero();

        // fail = closed: with the daemon down, no container starts; the fallback is an event once it is back.
        daemon.stop();
        DockerCli.Result refused = run("dg-hook-down-" + tag, "--label", "hook=no", List.of("true"));
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.all()).contains("fail = closed");
        daemon.start();
        awaitFallback("refused");

        // fail = open: with the daemon down, containers start, and the fallback is an event too.
        Files.writeString(daemon.config(), Files.readString(daemon.config()).replace("hook_timeout = \"3s\"",
                "hook_timeout = \"3s\"\nfail = \"open\""));
        daemon.stop();
        daemon.start();
        DockerCli.Result reopened = daemon.dockerSetup("setup", engine, daemonJson);
        assertThat(reopened.exit()).as(reopened.all()).isZero();
        assertThat(Files.readString(daemonJson)).contains("--driftguard-fail=open");
        Thread.sleep(1000); // the reload of dockerd is asynchronous to its SIGHUP
        daemon.stop();
        DockerCli.Result open = run("dg-hook-open-" + tag, "--label", "hook=no", List.of("true"));
        assertThat(open.exit()).as(open.all()).isZero();
        daemon.start();
        awaitFallback("started");

        DockerCli.Result undo = daemon.dockerSetup("undo", engine, daemonJson);
        assertThat(undo.exit()).as(undo.all()).isZero();
        assertThat(Files.readString(daemonJson)).contains("\"default-runtime\" : \"runc\"");
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> docker.docker("info", "--format", "{{.DefaultRuntime}}").out()
                .trim().equals("runc"), "dockerd reloaded with runc as its default runtime");
    }

    private DockerCli.Result run(String name, String label, String value, List<String> command) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", name, "--network", "none", label, value, DockerCli.IMAGE));
        args.addAll(command);
        return docker.docker(args.toArray(String[]::new));
    }

    private void awaitEvent(String container, java.util.function.Predicate<JsonNode> wanted) throws InterruptedException {
        DaemonProcess.waitFor(Duration.ofSeconds(15), () -> events("--container", container).stream().anyMatch(wanted),
                "event of " + container);
    }

    private void awaitFallback(String outcome) throws InterruptedException {
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> events("--kind", "daemon").stream()
                .anyMatch(e -> e.path("details").path("fallback").asText().equals(outcome)), "fallback event (" + outcome + ")");
    }

    private List<JsonNode> events(String... filter) {
        List<JsonNode> events = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("events", "--json"));
        args.addAll(List.of(filter));
        for (String line : daemon.cli(args.toArray(String[]::new)).out().split("\n")) {
            try {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            } catch (java.io.IOException e) {
                // Not an event line.
            }
        }
        return events;
    }
}

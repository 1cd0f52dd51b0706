package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop and restart actions and {@code driftguard stop}: the container is stopped or restarted
 * through the Docker API after the kernel's own action, events say so, and Docker's restart policy
 * does not bring a stopped container back. Network traffic only to 127.0.0.2 (refused before it
 * leaves).
 */
class ResponseIT {
    @TempDir
    static Path tmp;

    private static DaemonProcess daemon;
    private static DockerCli docker;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        docker = new DockerCli("dg-it-response");
        daemon = new DaemonProcess(tmp);
        daemon.policy("response.toml", """
                [[policy]]
                name = "StopOnShell"
                match.labels = { app = "dg-it-stop" }
                [[policy.process]]
                name = "no-shell"
                action = "stop"
                names = ["sh"]

                [[policy]]
                name = "RestartOnEgress"
                match.labels = { app = "dg-it-restart" }
                [[policy.network]]
                name = "no-second-loopback"
                action = "restart"
                cidrs = ["127.0.0.2/32"]

                [[policy]]
                name = "StopOnDrift"
                match.labels = { app = "dg-it-drift-stop" }
                [policy.drift]
                action = "stop"
                """);
        daemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A sleeping container with {@code --restart always}. */
    private static String runAlwaysRestarted(String network, String label) {
        String name = "dg-it-response-" + UUID.randomUUID().toString().substring(0, 8);
        docker.track(name);
        DockerCli.Result run = docker.docker("run", "-d", "--restart", "always", "--network", network, "--label", label, "--name", name,
                DockerCli.IMAGE);
        assertThat(run.exit()).as(run.all()).isZero();
        return name;
    }

    private static String state(String name) {
        return docker.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.StartedAt}}", name).out().trim();
    }

    @Test
    void aStopRuleStopsTheContainerAndDockersRestartPolicyLeavesItStopped() throws Exception {
        String name = runAlwaysRestarted("none", "app=dg-it-stop");
        daemon.awaitAttached(docker.id(name));
        DockerCli.Result shell = docker.execIn(name, "sh", "-c", "true");
        assertThat(shell.exit()).as(shell.all()).isNotZero();
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> state(name).startsWith("exited"), "container stopped");
        Thread.sleep(5000);
        assertThat(state(name)).as("--restart always does not start a container stopped through the API").startsWith("exited 0 ");

        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> daemon.cli("events", "--container", name, "--json").out()
                .contains("\"action\":\"stopped\""), "stopped event");
        String events = daemon.cli("events", "--container", name, "--json").out();
        assertThat(events).contains("\"response\":\"stop\"", "\"response\":\"stopped\"", "stopping the container");
        assertThat(daemon.cli("events", "--container", name).out()).contains("Stopped container " + name + " through the Docker API");
    }

    @Test
    void aDriftRuleStopsTheContainerAfterBlockingTheExec() throws Exception {
        String name = runAlwaysRestarted("none", "app=dg-it-drift-stop");
        daemon.awaitAttached(docker.id(name));
        DockerCli.Result copy = docker.execIn(name, "cp", "/bin/busybox", "/tmp/dropped");
        assertThat(copy.exit()).as(copy.all()).isZero();
        DockerCli.Result drifted = docker.execIn(name, "/tmp/dropped", "true");
        assertThat(drifted.exit()).as(drifted.all()).isNotZero();
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> state(name).startsWith("exited"), "container stopped");

        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> daemon.cli("events", "--container", name, "--json").out()
                .contains("\"action\":\"stopped\""), "stopped event");
        String events = daemon.cli("events", "--container", name, "--kind", "drift", "--json").out();
        assertThat(events).contains("\"action\":\"blocked\"", "\"response\":\"stop\"", "\"response\":\"stopped\"",
                "Blocked exec of /tmp/dropped", "(added after start); stopping the container");
    }

    @Test
    void aRestartRuleRestartsTheContainer() throws Exception {
        String name = runAlwaysRestarted("host", "app=dg-it-restart");
        daemon.awaitAttached(docker.id(name));
        String before = state(name);
        DockerCli.Result connect = docker.execIn(name, "nc", "-w", "2", "127.0.0.2", "9");
        assertThat(connect.all()).containsIgnoringCase("operation not permitted");
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> {
            String now = state(name);
            return now.startsWith("running") && !now.equals(before);
        }, "container restarted (new start time)");
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> daemon.cli("events", "--container", name, "--json").out()
                .contains("\"action\":\"restarted\""), "restarted event");
        assertThat(daemon.cli("events", "--container", name, "--json").out()).contains("\"response\":\"restart\"",
                "\"response\":\"restarted\"");
        daemon.awaitAttached(docker.id(name));
    }

    @Test
    void driftguardStopStopsAnyContainerAndNamesAnUnknownOne() throws Exception {
        String name = runAlwaysRestarted("none", "app=dg-it-unselected");
        DockerCli.Result stop = daemon.cli("stop", name);
        assertThat(stop.exit()).as(stop.all()).isZero();
        assertThat(stop.out().trim()).isEqualTo("stopped " + name);
        assertThat(state(name)).startsWith("exited");
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> daemon.cli("events", "--container", name, "--json").out()
                .contains("driftguard stop"), "stop event");

        DockerCli.Result unknown = daemon.cli("stop", "dg-it-response-no-such-container");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().trim()).isEqualTo("no such container: dg-it-response-no-such-container");
        assertThat(unknown.all()).doesNotContain("Exception");
    }
}

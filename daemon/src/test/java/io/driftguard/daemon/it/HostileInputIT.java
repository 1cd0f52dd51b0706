package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a container can choose (file names, argument text) against a running daemon. */
class HostileInputIT {
    @TempDir
    static Path tmp;

    private static DaemonFixture fixture;
    private static DaemonProcess daemon;
    private static DockerCli docker;

    @BeforeAll
    static void startDaemon() throws Exception {
        fixture = DaemonFixture.onHostEngine(tmp, "dg-it-hostile");
        daemon = fixture.daemon();
        docker = fixture.docker();
        fixture.policy("10-regex.toml", """
                [[policy]]
                name = "Backtracking"
                match.labels = { app = "dg-it-redos" }
                [[policy.process]]
                action = "block"
                name_regex = ["(.*a){12}$"]

                [[policy]]
                name = "Names"
                match.labels = { app = "dg-it-names" }
                [[policy.process]]
                action = "alert"
                name_regex = ["forged"]
                """).start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aFileNameChosenToBacktrackIsDecidedAtOnce() throws Exception {
        String container = fixture.attached("app=dg-it-redos");
        String near = "/tmp/" + "a".repeat(60) + "X";
        String hit = "/tmp/" + "a".repeat(60);
        assertThat(docker.execIn(container, "cp", "/usr/bin/cat", near).exit()).isZero();
        assertThat(docker.execIn(container, "cp", "/usr/bin/cat", hit).exit()).isZero();

        long start = System.nanoTime();
        DockerCli.Result allowed = docker.execIn(container, near, "/etc/hostname");
        DockerCli.Result blocked = docker.execIn(container, hit, "/etc/hostname");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(allowed.exit()).as(allowed.all()).isZero();
        assertThat(blocked.exit()).as(blocked.all()).isNotZero();
        assertThat(millis).as("two decisions on 61-byte names (over 120 s with a backtracking engine)").isLessThan(10_000);
    }

    @Test
    void aFileNameCannotForgeLinesOrDriveTheTerminalInTextOutput() throws Exception {
        String container = fixture.attached("app=dg-it-names");
        String name = "/tmp/x\n<0>2026-01-01T00:00:00Z forged\u001b[2J\u009b31mred";
        assertThat(docker.execIn(container, "cp", "/usr/bin/cat", name).exit()).isZero();
        assertThat(docker.execIn(container, name, "/etc/hostname").exit()).isZero();
        DaemonProcess.waitFor(java.time.Duration.ofSeconds(20),
                () -> daemon.cli("events", "--container", container).out().contains("forged"), "the alert event");

        String events = daemon.cli("events", "--container", container).out();
        String diff = daemon.cli("diff", container).out();
        for (String output : new String[] {events, diff, daemon.cli("status").out()}) {
            assertThat(output).doesNotContain("\u001b", "\u009b", "\n<0>");
        }
        assertThat(events).contains("/tmp/x\\x0a<0>2026-01-01T00:00:00Z forged\\x1b[2J\\x9b31mred");
        assertThat(events.lines().findFirst().orElseThrow()).startsWith("TIME ");
        assertThat(events.lines().skip(1)).allMatch(line -> line.matches("\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"));
        assertThat(diff).contains("/tmp/x\\x0a<0>2026-01-01T00:00:00Z forged\\x1b[2J");
        assertThat(daemon.cli("events", "--container", container, "--json").out()).contains("\\n<0>2026", "\\u001B[2J");
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * args_regex kills, counted over 100 docker execs each: a program that runs a while is killed
 * every time; one that ends at once may end before its arguments can be read, and then an event
 * says it was not checked; none goes by unreported. Prints the figures.
 */
class ArgsRegexIT {
    private static final int RUNS = 100;

    @TempDir
    static Path tmp;

    private static DaemonFixture fixture;
    private static DaemonProcess daemon;
    private static DockerCli docker;
    private static String container;

    @BeforeAll
    static void start() throws Exception {
        fixture = DaemonFixture.onHostEngine(tmp, "dg-it-args");
        daemon = fixture.daemon();
        docker = fixture.docker();
        fixture.policy("args.toml", """
                [[policy]]
                name = "Args"
                match.labels = { app = "dg-it-args" }
                [[policy.process]]
                name = "long"
                action = "kill"
                names = ["sleep"]
                args_regex = ["^3$"]
                [[policy.process]]
                name = "short"
                action = "kill"
                names = ["echo"]
                args_regex = ["^dg-short$"]
                """).start();
        container = fixture.attached("app=dg-it-args");
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aProgramThatRunsAWhileIsKilledEveryTime() throws Exception {
        int killed = 0;
        for (int i = 0; i < RUNS; i++) {
            if (docker.execIn(container, "sleep", "3").exit() == 137) {
                killed++;
            }
        }
        System.out.printf("args_regex, docker exec sleep 3: %d of %d killed%n", killed, RUNS);
        assertThat(killed).isEqualTo(RUNS);
        assertThat(docker.execIn(container, "sleep", "0").exit()).as("other arguments run").isZero();
    }

    @Test
    void aProgramThatEndsAtOnceIsKilledOrReportedUnchecked() throws Exception {
        int exitedKilled = 0;
        for (int i = 0; i < RUNS; i++) {
            if (docker.execIn(container, "echo", "dg-short").exit() == 137) {
                exitedKilled++;
            }
        }
        // Repeats of one event are aggregated (and flushed) within a window: wait until all are counted.
        DaemonProcess.waitFor(Duration.ofSeconds(60), () -> count("Killed process") + count("not checked") >= RUNS,
                "an event for each of the " + RUNS + " execs");
        System.out.printf("args_regex, docker exec echo dg-short: %d of %d exited killed; events: %d killed, %d not checked%n",
                exitedKilled, RUNS, count("Killed process"), count("not checked"));
        assertThat(count("Killed process")).as("killed events").isGreaterThanOrEqualTo(exitedKilled);
    }

    /** Events of the container whose message contains {@code text}, with aggregated repeats counted. */
    private static long count(String text) {
        DockerCli.Result result = daemon.cli("events", "--json", "--container", container, "--limit", "100000");
        long total = 0;
        ObjectMapper json = new ObjectMapper();
        for (String line : result.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode event = json.readTree(line);
                if (event.path("message").asText().contains(text)) {
                    total += Math.max(1, event.path("count").asLong(1));
                }
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return total;
    }
}

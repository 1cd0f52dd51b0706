package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container looping over blocked execs cannot fill the store: identical events are stored once with a count. */
class BoundedEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXECS = 2000;

    @TempDir
    Path tmp;

    @Test
    void aLoopOfBlockedExecsIsStoredAsAFewEventsWhoseCountsAddUp() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        try (DockerCli docker = new DockerCli("dg-it-bounded"); DaemonProcess daemon = new DaemonProcess(tmp)) {
            daemon.policy("shells.toml", """
                    [[policy]]
                    name = "NoBash"
                    match.labels = { app = "dg-it-bounded" }
                    [[policy.process]]
                    action = "block"
                    names = ["bash"]
                    """);
            daemon.start();
            String container = docker.start("app=dg-it-bounded");
            daemon.awaitAttached(docker.id(container));
            DockerCli.Result loop = docker.execIn(container, "sh", "-c",
                    "i=0; while [ $i -lt " + EXECS + " ]; do bash -c true 2>/dev/null; i=$((i+1)); done; echo done");
            assertThat(loop.out()).contains("done");

            DaemonProcess.waitFor(Duration.ofSeconds(40), () -> blockedCount(daemon, container) >= EXECS, "the aggregate event");
            String stored = daemon.cli("events", "--container", container, "--json").out();
            long rows = stored.lines().filter(l -> l.contains("\"action\":\"blocked\"")).count();
            assertThat(rows).as("events stored for " + EXECS + " blocked execs").isLessThan(20);
            assertThat(blockedCount(daemon, container)).isEqualTo(EXECS);
            assertThat(stored).contains("\"count\":", "\"first_time\":", "\"last_time\":");
        }
    }

    /** Blocked execs the stored events stand for: 1 for a single event, its count for an aggregate of the repeats. */
    private static long blockedCount(DaemonProcess daemon, String container) {
        long total = 0;
        for (String line : daemon.cli("events", "--container", container, "--json").out().split("\n")) {
            if (!line.contains("\"action\":\"blocked\"")) {
                continue;
            }
            try {
                JsonNode event = JSON.readTree(line);
                total += event.has("count") ? event.get("count").asLong() : 1;
            } catch (Exception e) {
                throw new AssertionError(line, e);
            }
        }
        return total;
    }
}

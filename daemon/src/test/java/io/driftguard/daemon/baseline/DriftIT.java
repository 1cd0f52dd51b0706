package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.model.Digest;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.baseline.testing.Cmd;
import io.driftguard.daemon.baseline.testing.DaemonRun;
import io.driftguard.daemon.baseline.testing.TestContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift prevention on the real engine: what was not in the image does not run. */
class DriftIT {
    static final String IMAGE = "driftguard-test/web:1";

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireImage(IMAGE);
    }

    private static String policy(String action) {
        return """
                [[policy]]
                name = "NoDrift"
                match.names = ["dg-bl-drift-*"]
                [policy.drift]
                action = "%s"
                """.formatted(action);
    }

    private static boolean driftEvent(JsonNode e, String container, String action, String message) {
        return e.path("kind").asText().equals("drift") && e.path("action").asText().equals(action)
                && e.path("container_name").asText().equals(container) && e.path("message").asText().contains(message);
    }

    @Test
    void blockStopsEveryWayOfBringingABinaryIn() throws Exception {
        try (TestContainers containers = new TestContainers(); DaemonRun daemon = DaemonRun.start(dir, policy("block"))) {
            String c = containers.run("drift", IMAGE);
            daemon.awaitAttached(c);

            assertThat(TestContainers.exec(c, "/usr/bin/cat", "/etc/nginx/nginx.conf").output()).contains("worker_processes");
            assertThat(TestContainers.exec(c, "/bin/bash", "-c", "echo image bash runs").output()).contains("image bash runs");

            // docker cp of a binary from the host
            assertThat(Cmd.run("docker", "cp", "/bin/busybox", c + ":/usr/bin/nc").exitCode()).isZero();
            Cmd nc = TestContainers.exec(c, "/usr/bin/nc", "-h");
            assertThat(nc.denied()).as(nc.output()).isTrue();
            daemon.awaitEvent(e -> driftEvent(e, c, "blocked", "Blocked exec of /usr/bin/nc in container " + c
                    + ": not in image " + IMAGE + " (added after start)"), "drift block of /usr/bin/nc");

            // a copy of an image binary under another name
            assertThat(TestContainers.exec(c, "cp", "/bin/busybox", "/tmp/x").exitCode()).isZero();
            assertThat(TestContainers.exec(c, "/tmp/x", "true").denied()).isTrue();

            // written inside and made executable
            assertThat(TestContainers.exec(c, "sh", "-c", "cat /bin/busybox > /opt/app/tool && chmod +x /opt/app/tool").exitCode()).isZero();
            assertThat(TestContainers.exec(c, "/opt/app/tool", "true").denied()).isTrue();

            // an image binary overwritten in place
            assertThat(TestContainers.exec(c, "sh", "-c", "cat /bin/busybox > /usr/bin/cat").exitCode()).isZero();
            assertThat(TestContainers.exec(c, "/usr/bin/cat", "/etc/hostname").denied()).isTrue();
            daemon.awaitEvent(e -> driftEvent(e, c, "blocked", "/usr/bin/cat in container " + c + ": differs from the file of image"),
                    "drift block of the overwritten /usr/bin/cat");

            // what the image holds still runs
            assertThat(TestContainers.exec(c, "/bin/bash", "-c", "echo still").output()).contains("still");
        }
    }

    @Test
    void alertLetsItRunAndReports() throws Exception {
        try (TestContainers containers = new TestContainers(); DaemonRun daemon = DaemonRun.start(dir, policy("alert"))) {
            String c = containers.run("drift", IMAGE);
            daemon.awaitAttached(c);
            assertThat(Cmd.run("docker", "cp", "/bin/busybox", c + ":/usr/bin/nc").exitCode()).isZero();
            Cmd nc = TestContainers.exec(c, "/usr/bin/nc", "-h");
            assertThat(nc.denied()).as(nc.output()).isFalse();
            assertThat(nc.output()).contains("BusyBox");
            daemon.awaitEvent(e -> driftEvent(e, c, "alerted", "/usr/bin/nc in container " + c + ": not in image"),
                    "drift alert of /usr/bin/nc");
        }
    }

    @Test
    void baselineIsBuiltOncePerImageAndSurvivesRestart() throws Exception {
        try (TestContainers containers = new TestContainers()) {
            String first;
            try (DaemonRun daemon = DaemonRun.start(dir, policy("block"))) {
                first = containers.run("drift", IMAGE);
                daemon.awaitAttached(first);
                String second = containers.run("drift", IMAGE);
                daemon.awaitAttached(second);
                long built = daemon.events().stream().filter(e -> e.path("message").asText().startsWith("Built the baseline of image "
                        + IMAGE)).count();
                assertThat(built).as(daemon.output()).isEqualTo(1);
            }
            try (DaemonRun again = DaemonRun.start(dir, policy("block"))) {
                again.awaitAttached(first);
                String third = containers.run("drift", IMAGE);
                again.awaitAttached(third);
                assertThat(again.events()).noneMatch(e -> e.path("message").asText().startsWith("Built the baseline"));
                assertThat(TestContainers.exec(third, "cp", "/bin/busybox", "/tmp/y").exitCode()).isZero();
                assertThat(TestContainers.exec(third, "/tmp/y", "true").denied()).isTrue();
            }
            try (BaselineStore store = BaselineStore.open(dir.resolve("state/driftguard.db"))) {
                Digest imageId = Digest.parse(Cmd.run("docker", "image", "inspect", "--format", "{{.Id}}", IMAGE).output().trim());
                ImageBaseline baseline = store.load(imageId).orElseThrow();
                // The second layer deleted old-tool (whiteout) and re-created /opt/app (opaque).
                assertThat(baseline.files()).containsKeys("/etc/nginx/nginx.conf", "/bin/busybox", "/opt/app/new.txt")
                        .doesNotContainKeys("/usr/local/bin/old-tool", "/opt/app/old.txt");
                assertThat(baseline.files().size()).isGreaterThan(5000);
                assertThat(baseline.file("/bin/busybox").sha256()).isEqualTo(Digest.sha256(Files.readAllBytes(Path.of("/bin/busybox"))).hex());
            }
        }
    }
}

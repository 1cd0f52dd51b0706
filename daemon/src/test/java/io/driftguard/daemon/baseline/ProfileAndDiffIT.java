package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.model.Digest;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.baseline.testing.Cmd;
import io.driftguard.daemon.baseline.testing.DaemonRun;
import io.driftguard.daemon.baseline.testing.TestContainers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process profiles (learn, then enforce; the baseline CLI) and driftguard diff on the real engine. */
class ProfileAndDiffIT {
    static final String IMAGE = "driftguard-test/web:1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireImage(IMAGE);
    }

    @Test
    void learnThenEnforceThenLearnAgainFromTheCli() throws Exception {
        String policy = """
                [[policy]]
                name = "WebProfile"
                match.names = ["dg-bl-prof-*"]
                [policy.profile]
                mode = "learn"
                learn_for = "20s"
                action = "block"
                """;
        try (TestContainers containers = new TestContainers(); DaemonRun daemon = DaemonRun.start(dir, policy)) {
            String c = containers.run("prof", IMAGE);
            daemon.awaitAttached(c);
            long learningEnds = System.currentTimeMillis() + 20_000; // generous: docker exec is slow on a loaded host
            assertThat(TestContainers.exec(c, "/bin/bash", "-c", "echo learning").output()).contains("learning");
            assertThat(TestContainers.exec(c, "sh", "-c", "true").exitCode()).isZero();
            Thread.sleep(Math.max(0, learningEnds - System.currentTimeMillis()) + 1_500);

            assertThat(TestContainers.exec(c, "/bin/bash", "-c", "echo learnt").output()).contains("learnt");
            Cmd cat = TestContainers.exec(c, "/usr/bin/cat", "/etc/hostname");
            assertThat(cat.denied()).as(cat.output()).isTrue();
            daemon.awaitEvent(e -> e.path("message").asText().equals("Blocked unauthorized process in container " + c
                    + ": /usr/bin/cat, not in the profile of " + IMAGE + "; started by user 'root' (uid 0)"), "profile block");

            JsonNode shown = JSON.readTree(DaemonRun.cli("baseline", "show", "--config", daemon.config(), IMAGE, "--json").output());
            assertThat(shown.path("profile").path("learning").asBoolean()).isFalse();
            List<String> paths = new ArrayList<>();
            shown.path("profile").path("executables").forEach(e -> paths.add(e.path("path").asText()));
            assertThat(paths).contains("/bin/bash", "/bin/busybox").doesNotContain("/usr/bin/cat");

            assertThat(DaemonRun.cli("baseline", "learn", "--config", daemon.config(), IMAGE, "--for", "1h").exitCode()).isZero();
            Thread.sleep(2_500); // the daemon reloads profile state every second
            assertThat(TestContainers.exec(c, "/usr/bin/cat", "/etc/hostname").exitCode()).isZero();
            Thread.sleep(2_000);
            JsonNode again = JSON.readTree(DaemonRun.cli("baseline", "show", "--config", daemon.config(), IMAGE, "--json").output());
            assertThat(again.path("profile").path("learning").asBoolean()).isTrue();
            assertThat(again.path("profile").toString()).contains("/usr/bin/cat");

            assertThat(DaemonRun.cli("baseline", "reset", "--config", daemon.config(), IMAGE).exitCode()).isZero();
            JsonNode reset = JSON.readTree(DaemonRun.cli("baseline", "show", "--config", daemon.config(), IMAGE, "--json").output());
            assertThat(reset.path("profile").path("executables")).isEmpty();
        }
    }

    @Test
    void diffShowsChangesWithHashesAndVerdicts() throws Exception {
        String config = DaemonRun.writeConfig(dir, """
                [[policy]]
                name = "NoDrift"
                match.names = ["dg-bl-diff-*"]
                [policy.drift]
                action = "block"
                [[policy.file]]
                name = "nginx"
                paths = ["/etc/nginx/**"]
                action = "alert"
                """);
        try (TestContainers containers = new TestContainers()) {
            String c = containers.run("diff", IMAGE);
            assertThat(Cmd.run("docker", "cp", "/bin/busybox", c + ":/usr/bin/nc").exitCode()).isZero();
            assertThat(TestContainers.exec(c, "sh", "-c", "echo '# x' >> /etc/nginx/nginx.conf && rm /usr/share/bench/3/1.txt"
                    + " && rm -r /usr/share/bench/7").exitCode()).isZero();
            Cmd diff = DaemonRun.cli("diff", "--config", config, c, "--json");
            assertThat(diff.exitCode()).as(diff.output()).isEqualTo(1);
            List<JsonNode> changes = new ArrayList<>();
            for (String line : diff.output().split("\n")) {
                if (line.startsWith("{")) {
                    changes.add(JSON.readTree(line));
                }
            }
            JsonNode nc = find(changes, "/usr/bin/nc");
            assertThat(nc.path("change").asText()).isEqualTo("added");
            assertThat(nc.path("executable").asBoolean()).isTrue();
            assertThat(nc.path("sha256").asText()).isEqualTo(Digest.sha256(Files.readAllBytes(Path.of("/bin/busybox"))).hex());
            assertThat(nc.path("policy").toString()).contains("drift: exec block by NoDrift");
            JsonNode conf = find(changes, "/etc/nginx/nginx.conf");
            assertThat(conf.path("change").asText()).isEqualTo("modified");
            assertThat(conf.path("image_sha256").asText()).hasSize(64).isNotEqualTo(conf.path("sha256").asText());
            assertThat(conf.path("policy").toString()).contains("file rule nginx: alert by NoDrift");
            assertThat(find(changes, "/usr/share/bench/3/1.txt").path("change").asText()).isEqualTo("deleted");
            assertThat(find(changes, "/usr/share/bench/7").path("note").asText()).isEqualTo("directory: 100 image files");

            Cmd table = DaemonRun.cli("diff", "--config", config, c);
            assertThat(table.output()).contains("added    yes").contains("/usr/bin/nc");
        }
    }

    private static JsonNode find(List<JsonNode> changes, String path) {
        return changes.stream().filter(n -> n.path("path").asText().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + path + " in " + changes));
    }
}

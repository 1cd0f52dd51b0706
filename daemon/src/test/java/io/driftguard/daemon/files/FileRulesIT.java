package io.driftguard.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.baseline.testing.Cmd;
import io.driftguard.daemon.baseline.testing.DaemonRun;
import io.driftguard.daemon.baseline.testing.TestContainers;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File integrity monitoring and protected paths on the real engine. */
class FileRulesIT {
    static final String IMAGE = "driftguard-test/web:1";

    @TempDir
    Path dir;

    @BeforeEach
    void prerequisites() {
        Prerequisites.requireImage(IMAGE);
    }

    private static final String PROTECT_ETC = """
            [[policy]]
            name = "ProtectEtc"
            match.names = ["dg-bl-prot-*"]
            [[policy.file]]
            paths = ["/etc/**"]
            access = "write"
            action = "block"
            """;

    private static String sha256(String container, String path) throws Exception {
        return TestContainers.exec(container, "sha256sum", path).output().trim().split("\\s+")[0];
    }

    @Test
    void editOfAWatchedFileIsReportedWithBothHashes() throws Exception {
        String policy = """
                [[policy]]
                name = "WatchNginx"
                match.names = ["dg-bl-fim-*"]
                [[policy.file]]
                name = "nginx-config"
                paths = ["/etc/nginx/**"]
                access = "write"
                action = "alert"
                """;
        try (TestContainers containers = new TestContainers(); DaemonRun daemon = DaemonRun.start(dir, policy)) {
            String c = containers.run("fim", IMAGE);
            daemon.awaitAttached(c);
            String before = sha256(c, "/etc/nginx/nginx.conf");
            assertThat(TestContainers.exec(c, "sh", "-c", "echo '# tampered' >> /etc/nginx/nginx.conf; echo x > /tmp/outside")
                    .exitCode()).isZero();
            String after = sha256(c, "/etc/nginx/nginx.conf");
            JsonNode event = daemon.awaitEvent(e -> e.path("kind").asText().equals("file")
                    && e.path("details").path("operation").asText().equals("modified")
                    && e.path("container_name").asText().equals(c), "file modified");
            assertThat(event.path("message").asText()).startsWith("File /etc/nginx/nginx.conf modified in container " + c + " at ");
            assertThat(event.path("details").path("old_sha256").asText()).isEqualTo(before);
            assertThat(event.path("details").path("new_sha256").asText()).isEqualTo(after).isNotEqualTo(before);
            assertThat(event.path("policy").asText()).isEqualTo("WatchNginx");

            assertThat(TestContainers.exec(c, "sh", "-c", "echo new > /etc/nginx/site.conf && rm /etc/nginx/site.conf").exitCode()).isZero();
            daemon.awaitEvent(e -> e.path("details").path("operation").asText().equals("created")
                    && e.path("details").path("path").asText().equals("/etc/nginx/site.conf"), "file created");
            daemon.awaitEvent(e -> e.path("details").path("operation").asText().equals("deleted")
                    && e.path("details").path("path").asText().equals("/etc/nginx/site.conf"), "file deleted");
            assertThat(daemon.events()).noneMatch(e -> e.path("details").path("path").asText().startsWith("/tmp"));
        }
    }

    @Test
    void protectedEtcRefusesWritesAllowsReadsAndIsReleasedWithThePolicy() throws Exception {
        try (TestContainers containers = new TestContainers()) {
            String c;
            try (DaemonRun daemon = DaemonRun.start(dir, PROTECT_ETC)) {
                c = containers.run("prot", IMAGE);
                daemon.awaitAttached(c);
                assertThat(TestContainers.exec(c, "cat", "/etc/nginx/nginx.conf").output()).contains("worker_processes");
                assertThat(TestContainers.exec(c, "cat", "/etc/hostname").exitCode()).isZero();
                Cmd write = TestContainers.exec(c, "sh", "-c", "echo x >> /etc/nginx/nginx.conf");
                assertThat(write.exitCode()).isNotZero();
                assertThat(write.output()).contains("Read-only file system");
                assertThat(TestContainers.exec(c, "sh", "-c", "echo x > /etc/new").output()).contains("Read-only file system");
                assertThat(TestContainers.exec(c, "sh", "-c", "echo x > /tmp/fine").exitCode()).isZero();
                daemon.awaitEvent(e -> e.path("message").asText().startsWith("Protected /etc in container " + c), "protected event");
            }
            // The daemon stopped: the policy no longer holds, and /etc is writable again.
            assertThat(TestContainers.exec(c, "sh", "-c", "echo x > /etc/new").exitCode()).isZero();
        }
    }

    @Test
    void reloadKeepsProtectionAndRemovingThePolicyReleasesIt() throws Exception {
        try (TestContainers containers = new TestContainers(); DaemonRun daemon = DaemonRun.start(dir, PROTECT_ETC)) {
            String c = containers.run("prot", IMAGE);
            daemon.awaitAttached(c);
            // A changed policy set builds a new sensor before the old one is released.
            daemon.reload(PROTECT_ETC.replace("name = \"ProtectEtc\"", "name = \"ProtectEtcToo\""));
            assertThat(TestContainers.exec(c, "sh", "-c", "echo x > /etc/new").output()).contains("Read-only file system");
            // No policy selects the container any more: the read-only mount goes with it.
            daemon.reload(PROTECT_ETC.replace("dg-bl-prot-*", "nothing-matches-*"));
            assertThat(TestContainers.exec(c, "sh", "-c", "echo x > /etc/new").exitCode()).isZero();
            assertThat(TestContainers.exec(c, "cat", "/etc/hostname").exitCode()).isZero();
        }
    }
}

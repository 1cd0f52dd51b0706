package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy set never shrinks by accident, and what {@code policy check} accepts attaches: a real
 * daemon, real containers, reloads by SIGHUP.
 */
class PolicySetIT {
    private static final String SHELLS = """
            [[policy]]
            name = "BlockShells"
            match.labels = { app = "%s" }
            [[policy.process]]
            action = "block"
            names = ["bash"]
            """;

    @TempDir
    Path tmp;

    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        docker = new DockerCli("dg-it-set");
        daemon = new DaemonProcess(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        docker.close();
        daemon.close();
    }

    @Test
    void aReloadThatWouldDropPoliciesIsRefusedAndTheRunningSetKept() throws Exception {
        String label = "dg-it-set-" + ProcessHandle.current().pid();
        daemon.policy("shells.toml", SHELLS.formatted(label));
        daemon.start();
        String container = docker.start("app=" + label);
        daemon.awaitAttached(docker.id(container));
        assertThat(bashRuns(container)).isFalse();

        Path dir = tmp.resolve("policies.d");
        Path file = dir.resolve("shells.toml");
        Path saved = tmp.resolve("shells.saved");
        Files.move(file, saved);
        int refusals = 0;
        for (String damage : new String[] {"dangling", "loop", "fifo", "folder", "bak", "gone"}) {
            switch (damage) {
                case "dangling" -> Files.createSymbolicLink(file, dir.resolve("nowhere.toml"));
                case "loop" -> Files.createSymbolicLink(file, file);
                case "fifo" -> assertThat(DockerCli.exec(java.util.List.of("mkfifo", file.toString())).exit()).isZero();
                case "folder" -> Files.createDirectory(file);
                case "bak" -> Files.copy(saved, dir.resolve("shells.toml.bak"));
                default -> { }
            }
            daemon.signal("HUP");
            awaitCount("reload refused, keeping the 1 running policies", ++refusals, damage);
            assertThat(bashRuns(container)).as("still blocked after a reload with a " + damage + " policy file").isFalse();
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve("shells.toml.bak"));
        }
        assertThat(daemon.output()).contains("shells.toml: a link that leads nowhere", "shells.toml: not a regular file",
                "shells.toml.bak: not a *.toml policy file", "no policies: nothing would be enforced");
        assertThat(daemon.cli("events", "--kind", "daemon").out()).contains("Policy reload failed; keeping the 1 running policies");

        Files.writeString(dir.resolve(".allow-empty"), "");
        daemon.signal("HUP");
        daemon.awaitOutput("reloaded 0 policies");
        assertThat(bashRuns(container)).as("an empty set taken when the marker says so").isTrue();
    }

    @Test
    void whatCheckAcceptsAtTheLimitsAttachesAndAnOverfullContainerKeepsItsOtherRules() throws Exception {
        String label = "dg-it-lim-" + ProcessHandle.current().pid();
        String longName = "k".repeat(31);
        daemon.policy("10-limits.toml", """
                [[policy]]
                name = "Limits"
                match.labels = { app = "%s" }
                [[policy.process]]
                name = "%s"
                action = "kill"
                names = ["%s"]
                """.formatted(label, "r".repeat(128), longName) + networkRules(40, 1));
        daemon.policy("20-more.toml", SHELLS.formatted(label).replace("BlockShells", "More") + networkRules(40, 2));
        DockerCli.Result check = DaemonProcess.run("policy", "check", tmp.resolve("policies.d").toString());
        assertThat(check.exit()).as(check.all()).isZero();

        daemon.start();
        String container = docker.start("app=" + label);
        daemon.awaitAttached(docker.id(container));
        assertThat(bashRuns(container)).as("the second policy's exec rule is in force").isFalse();
        assertThat(docker.execIn(container, "cp", "/usr/bin/cat", "/tmp/" + longName).exit()).isZero();
        assertThat(docker.execIn(container, "/tmp/" + longName, "/etc/passwd").exit()).as("a 31-byte kill name kills")
                .isEqualTo(137);
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> daemon.cli("events", "--kind", "daemon").out()
                .contains("A rule is not enforced on container " + container), "an event for the rules over the limit");
        assertThat(daemon.cli("events", "--kind", "daemon").out()).contains("of policy More: the container already has 64 network rules");
    }

    private static String networkRules(int count, int net) {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < count; i++) {
            rules.append("[[policy.network]]\naction = \"block\"\ncidrs = [\"127.").append(net).append('.').append(i).append(".1/32\"]\n");
        }
        return rules.toString();
    }

    private boolean bashRuns(String container) {
        return docker.execIn(container, "bash", "-c", "true").exit() == 0;
    }

    private void awaitCount(String text, int count, String what) throws InterruptedException {
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> {
            try {
                String output = daemon.output();
                return output.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count;
            } catch (IOException e) {
                return false;
            }
        }, count + " x '" + text + "' (" + what + ")");
    }
}

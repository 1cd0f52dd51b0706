package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, reload and shutdown of the daemon as a process, with real containers. */
class LifecycleIT {
    private static final String SHELLS = """
            [[policy]]
            name = "BlockShells"
            match.labels = { app = "%s" }
            [[policy.process]]
            action = "block"
            names = ["sh", "bash"]
            """;

    @TempDir
    Path tmp;

    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        docker = new DockerCli("dg-it-life");
        daemon = new DaemonProcess(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        docker.close();
        daemon.close();
    }

    @Test
    void attachesAtStartToContainersStartedWhileItWasDownAndReleasesOnStop() throws Exception {
        daemon.policy("shells.toml", SHELLS.formatted("dg-it-early"));
        String early = docker.start("app=dg-it-early");
        assertThat(docker.execIn(early, "sh", "-c", "true").exit()).isZero();

        daemon.start();
        assertThat(daemon.attached(docker.id(early))).as("attached before READY").isTrue();
        assertThat(docker.execIn(early, "sh", "-c", "true").exit()).isNotZero();

        assertThat(daemon.stop()).isZero();
        assertThat(daemon.output()).contains("detached from container " + early + ": daemon stopping");
        assertThat(docker.execIn(early, "sh", "-c", "true").exit()).as("released after stop").isZero();
    }

    @Test
    void refusesToStartOnAnInvalidPolicyNamingFileAndLine() throws Exception {
        daemon.policy("good.toml", SHELLS.formatted("x"));
        daemon.policy("bad.toml", "[[policy]]\nname = \"Bad\"\n[[policy.process]]\naction = \"block\"\nname_regex = [\"(\"]\n");
        Process process = new ProcessBuilder("java", "-jar", DaemonProcess.jar().toString(), "daemon", "--config",
                daemon.config().toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isEqualTo(2);
        assertThat(output).contains("invalid policies, not starting",
                tmp.resolve("policies.d/bad.toml") + ":5: policy[0].process[0].name_regex[0]: invalid regex");

        DockerCli.Result check = DaemonProcess.run("policy", "check", tmp.resolve("policies.d").toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.err()).contains("bad.toml:5:");
    }

    @Test
    void sighupReloadsAndAnInvalidSetKeepsTheRunningOne() throws Exception {
        daemon.policy("other.toml", SHELLS.formatted("dg-it-nobody"));
        daemon.start();
        String container = docker.start("app=dg-it-reload");
        String id = docker.id(container);
        assertThat(docker.execIn(container, "bash", "-c", "true").exit()).isZero();

        daemon.policy("reload.toml", SHELLS.formatted("dg-it-reload").replace("BlockShells", "ReloadedShells"));
        daemon.signal("HUP");
        daemon.awaitAttached(id);
        assertThat(docker.execIn(container, "bash", "-c", "true").exit()).isNotZero();

        daemon.policy("broken.toml", "[[policy]]\nname = \"Broken\"\nunknown = 1\n");
        Files.delete(tmp.resolve("policies.d/reload.toml"));
        daemon.signal("HUP");
        daemon.awaitOutput("reload refused, keeping the 2 running policies");
        assertThat(daemon.output()).contains("broken.toml:3: policy[0].unknown: unknown key");
        assertThat(daemon.attached(id)).isTrue();
        assertThat(docker.execIn(container, "bash", "-c", "true").exit()).as("old set still enforced").isNotZero();
        assertThat(daemon.cli("events", "--kind", "daemon").out()).contains("Policy reload failed; keeping the 2 running policies");
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code driftguard docker setup} and {@code undo} against a private dockerd that reads its own
 * daemon.json and is reloaded by SIGHUP through its pidfile.
 */
class DockerSetupIT {
    private static final String ORIGINAL = "{\n  \"log-level\" : \"info\",\n    \"labels\": [\"owner=test\"]\n}\n";
    private DaemonFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void setupAddsThePluginAndUndoRestoresTheFileExactly() throws Exception {
        fixture = DaemonFixture.forPrivateEngine("dg-setup");
        Path daemonJson = fixture.dir().resolve("daemon.json");
        Files.writeString(daemonJson, ORIGINAL);
        fixture.launchEngine(false, "--config-file", daemonJson.toString());
        PrivateEngine engine = fixture.readyEngine();
        DaemonProcess daemon = fixture.daemon();
        String plugin = fixture.plugin();
        daemon.runtime("hook_socket = \"\""); // the plugin alone; StartHookIT sets the runtime up
        fixture.policy("admission.toml", """
                [[policy]]
                name = "HostHygiene"
                match.labels = { setup = "yes" }
                [policy.admission]
                action = "deny"
                privileged = false
                """);

        DockerCli.Result early = daemon.dockerSetup("setup", engine, daemonJson);
        assertThat(early.exit()).as("the plugin does not answer yet: %s", early.all()).isEqualTo(1);
        assertThat(early.err()).contains("does not answer");
        assertThat(Files.readString(daemonJson)).isEqualTo(ORIGINAL);

        fixture.start();
        DockerCli.Result setup = daemon.dockerSetup("setup", engine, daemonJson);
        assertThat(setup.exit()).as(setup.all()).isZero();
        assertThat(setup.out()).contains("added to " + daemonJson).contains("authorization plugin " + plugin).contains("SIGHUP");
        assertThat(Files.readString(daemonJson.resolveSibling("daemon.json.driftguard-backup"))).isEqualTo(ORIGINAL);
        DockerCli docker = fixture.docker();
        // dockerd 20.10's info lists only the plugins of its start; a denial shows the reload took.
        DaemonProcess.waitFor(java.time.Duration.ofSeconds(30), () -> privilegedCreate(docker).err()
                .contains("driftguard: policy HostHygiene denies --privileged"), "dockerd reloaded with the plugin");

        DockerCli.Result again = daemon.dockerSetup("setup", engine, daemonJson);
        assertThat(again.out()).contains("already set up");
        String afterSetup = Files.readString(daemonJson);
        assertThat(afterSetup).contains("\"authorization-plugins\" : [ \"" + plugin + "\" ]").contains("owner=test");

        DockerCli.Result undo = daemon.dockerSetup("undo", engine, daemonJson);
        assertThat(undo.exit()).as(undo.all()).isZero();
        assertThat(undo.out()).contains("restored " + daemonJson);
        assertThat(Files.readAllBytes(daemonJson)).isEqualTo(ORIGINAL.getBytes(StandardCharsets.UTF_8));
        assertThat(daemonJson.resolveSibling("daemon.json.driftguard-backup")).doesNotExist();
        DaemonProcess.waitFor(java.time.Duration.ofSeconds(30), () -> {
            DockerCli.Result created = privilegedCreate(docker);
            docker.docker("rm", "-f", created.out().trim());
            return created.exit() == 0;
        }, "dockerd reloaded without the plugin");
        assertThat(daemon.dockerSetup("undo", engine, daemonJson).out()).contains("nothing to undo");

        // Changed by hand after setup: undo takes out only driftguard's entry.
        assertThat(daemon.dockerSetup("setup", engine, daemonJson).exit()).isZero();
        Files.writeString(daemonJson, Files.readString(daemonJson).replace("\"info\"", "\"warn\""));
        DockerCli.Result surgical = daemon.dockerSetup("undo", engine, daemonJson);
        assertThat(surgical.out()).as(surgical.all()).contains("it changed since setup");
        assertThat(Files.readString(daemonJson)).contains("\"warn\"").doesNotContain("authorization-plugins");
    }

    private static DockerCli.Result privilegedCreate(DockerCli docker) {
        return docker.docker("create", "--network", "none", "--privileged", "--label", "setup=yes", DockerCli.IMAGE);
    }
}

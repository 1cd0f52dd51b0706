package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule exceptions on the real kernel: a health-check script may start the shell that the same rule
 * blocks everywhere else (except.parents), and a copy of it under an excepted path runs
 * (except.paths). Debian's dash is a file of its own, so fanotify blocks it by name with EPERM.
 */
class ExceptionsIT {
    private static final String IMAGE = "driftguard-test/debian12-systemd:1";

    @TempDir
    Path tmp;

    @Test
    void aListedScriptMayRunTheShellThatIsBlockedOtherwise() throws Exception {
        Prerequisites.requireImage(IMAGE);
        try (DockerCli docker = new DockerCli("dg-it-except"); DaemonProcess daemon = new DaemonProcess(tmp)) {
            daemon.policy("except.toml", """
                    [[policy]]
                    name = "NoShellButHealthCheck"
                    match.labels = { app = "dg-it-except" }
                    [[policy.process]]
                    name = "no-dash"
                    action = "block"
                    names = ["dash"]
                    except.parents = ["healthcheck.sh"]
                    except.paths = ["/opt/probe/**"]
                    """);
            daemon.start();
            String name = "dg-it-except-" + UUID.randomUUID().toString().substring(0, 8);
            docker.track(name);
            DockerCli.Result run = docker.docker("run", "-d", "--network", "none", "--label", "app=dg-it-except", "--name", name,
                    "--entrypoint", "/bin/sleep", IMAGE, "infinity");
            assertThat(run.exit()).as(run.all()).isZero();
            Path script = tmp.resolve("healthcheck.sh");
            Files.writeString(script, "#!/bin/bash\ndash -c 'echo healthy'\nexec dash -c 'echo still healthy'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertThat(docker.docker("cp", script.toString(), name + ":/usr/local/bin/healthcheck.sh").exit()).isZero();
            daemon.awaitAttached(docker.id(name));

            DockerCli.Result health = docker.execIn(name, "/usr/local/bin/healthcheck.sh");
            assertThat(health.exit()).as("the health check's dash runs: %s", health.all()).isZero();
            assertThat(health.out()).contains("healthy", "still healthy");

            DockerCli.Result direct = docker.execIn(name, "dash", "-c", "echo no");
            assertThat(direct.exit()).as(direct.all()).isNotZero();
            DockerCli.Result fromBash = docker.execIn(name, "bash", "-c", "dash -c 'echo no'");
            assertThat(fromBash.exit()).as("a parent that is not listed: %s", fromBash.all()).isNotZero();
            assertThat(fromBash.all()).containsIgnoringCase("not permitted");

            DockerCli.Result again = docker.execIn(name, "/usr/local/bin/healthcheck.sh");
            assertThat(again.exit()).as("decided again, not ignored after the first: %s", again.all()).isZero();

            assertThat(docker.execIn(name, "cp", "/usr/bin/dash", "/tmp/dash").exit()).isZero();
            assertThat(docker.execIn(name, "/tmp/dash", "-c", "true").exit()).as("a copy named dash is blocked").isNotZero();
            assertThat(docker.execIn(name, "mkdir", "-p", "/opt/probe").exit()).isZero();
            assertThat(docker.execIn(name, "cp", "/usr/bin/dash", "/opt/probe/dash").exit()).isZero();
            DockerCli.Result probe = docker.execIn(name, "/opt/probe/dash", "-c", "echo probed");
            assertThat(probe.exit()).as("except.paths: %s", probe.all()).isZero();

            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> daemon.cli("events", "--container", name, "--json").out()
                    .contains("\"action\":\"blocked\""), "blocked events");
            String events = daemon.cli("events", "--container", name, "--json").out();
            assertThat(events).contains("no-dash").doesNotContain("/opt/probe/dash");
        }
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline guard: a decision that needs a 64 MiB file hashed cannot be made within 20ms, so
 * the fail mode answers. The file is not a program: allowed, the exec fails with ENOEXEC; denied,
 * with EPERM — so the error tells which answer the kernel got.
 */
class FailModeIT {
    private static final String DIGEST_POLICY = """
            [[policy]]
            name = "Digest"
            match.labels = { app = "dg-it-failmode" }
            [[policy.process]]
            action = "block"
            sha256 = ["%s"]
            """.formatted("0".repeat(64));

    @TempDir
    Path tmp;

    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeEach
    void setUp() {
        Prerequisites.requireImage(DockerCli.IMAGE);
        docker = new DockerCli("dg-it-failmode");
    }

    @AfterEach
    void tearDown() throws Exception {
        docker.close();
        if (daemon != null) {
            daemon.close();
        }
    }

    private DockerCli.Result execBigFile(String failMode) throws Exception {
        daemon = new DaemonProcess(tmp, "fail_mode = \"" + failMode + "\"\ndecision_timeout = \"20ms\"");
        daemon.policy("digest.toml", DIGEST_POLICY);
        daemon.start();
        String name = docker.start("app=dg-it-failmode");
        daemon.awaitAttached(docker.id(name));
        // Hash busybox and bash once (a slow first hash could itself meet the deadline).
        for (String[] command : new String[][] {{"true"}, {"bash", "-c", "true"}}) {
            DaemonProcess.waitFor(java.time.Duration.ofSeconds(20), () -> docker.execIn(name, command).exit() == 0,
                    "a first, hashed exec of " + command[0]);
        }
        assertThat(docker.execIn(name, "dd", "if=/dev/zero", "of=/tmp/big", "bs=1M", "count=64").exit()).isZero();
        assertThat(docker.execIn(name, "chmod", "+x", "/tmp/big").exit()).isZero();
        return docker.execIn(name, "bash", "-c", "/tmp/big; echo status=$?");
    }

    @Test
    void failOpenAllowsAndSaysSo() throws Exception {
        DockerCli.Result result = execBigFile("allow");
        assertThat(result.all()).containsIgnoringCase("exec format error");
        daemon.awaitOutput("answered by the fail mode");
        assertThat(daemon.cli("events", "--kind", "daemon").out()).contains("No decision in time for exec of /tmp/big", "allowed by the fail mode");
    }

    @Test
    void failClosedDenies() throws Exception {
        DockerCli.Result result = execBigFile("deny");
        assertThat(result.all()).containsIgnoringCase("operation not permitted").contains("status=126");
        daemon.awaitOutput("answered by the fail mode");
    }
}

package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process rules enforced by a running daemon on real containers, seen from inside them. */
class ProcessEnforcementIT {
    @TempDir
    static Path tmp;

    private static DaemonProcess daemon;
    private static DockerCli docker;

    @BeforeAll
    static void startDaemon() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        docker = new DockerCli("dg-it-proc");
        daemon = new DaemonProcess(tmp);
        String bashDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of("/bin/bash"))));
        daemon.policy("10-shells.toml", """
                [[policy]]
                name = "BlockShellExecution"
                match.labels = { app = "dg-it-shell" }
                [[policy.process]]
                action = "block"
                names = ["sh", "bash", "zsh", "ash", "dash", "ksh"]
                """);
        daemon.policy("20-kinds.toml", """
                [[policy]]
                name = "Regex"
                match.labels = { app = "dg-it-regex" }
                [[policy.process]]
                action = "block"
                name_regex = ["^ba.h$"]

                [[policy]]
                name = "Path"
                match.labels = { app = "dg-it-path" }
                [[policy.process]]
                action = "block"
                paths = ["/usr/bin/cat"]

                [[policy]]
                name = "Digest"
                match.labels = { app = "dg-it-digest" }
                [[policy.process]]
                action = "block"
                sha256 = ["%s"]

                [[policy]]
                name = "Audited"
                mode = "audit"
                match.labels = { app = "dg-it-audit" }
                [[policy.process]]
                action = "block"
                names = ["bash"]

                [[policy]]
                name = "ByName"
                match.names = ["dg-it-renamed-*"]
                [[policy.process]]
                action = "block"
                names = ["bash"]

                [[policy]]
                name = "KillCat"
                match.labels = { app = "dg-it-kill" }
                [[policy.process]]
                action = "kill"
                names = ["cat"]
                """.formatted(bashDigest));
        daemon.start();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (docker != null) {
            docker.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private static String attachedContainer(String label) throws InterruptedException {
        String name = docker.start("app=" + label);
        daemon.awaitAttached(docker.id(name));
        return name;
    }

    private static void assertBlocked(DockerCli.Result result) {
        assertThat(result.exit()).as("exit code of a blocked exec: %s", result.all()).isNotZero();
        assertThat(result.all()).containsIgnoringCase("operation not permitted");
    }

    @Test
    void shellsAreBlockedInSelectedContainersOnly() throws Exception {
        String secured = attachedContainer("dg-it-shell");
        String plain = docker.start();

        // sh is busybox here: blocking busybox would block ls and cat too, so the exec program kills sh by name
        DockerCli.Result sh = docker.execIn(secured, "sh", "-c", "echo ran");
        assertThat(sh.exit()).as("sh killed: %s", sh.all()).isEqualTo(137);
        assertThat(sh.out()).doesNotContain("ran");
        assertThat(docker.execIn(secured, "ls", "/").exit()).as("busybox's ls").isZero();
        assertBlocked(docker.execIn(secured, "bash", "-c", "echo ran"));
        DockerCli.Result cat = docker.execIn(secured, "cat", "/etc/hostname");
        assertThat(cat.exit()).as(cat.all()).isZero();
        assertThat(cat.out()).isNotBlank();
        DockerCli.Result unselected = docker.execIn(plain, "sh", "-c", "echo ran");
        assertThat(unselected.exit()).isZero();
        assertThat(unselected.out().trim()).isEqualTo("ran");

        DaemonProcess.waitFor(java.time.Duration.ofSeconds(10), () -> events("--container", secured).stream()
                .anyMatch(e -> e.path("action").asText().equals("killed")), "kill event of sh");
        List<JsonNode> events = events("--container", secured);
        assertThat(events).extracting(e -> e.path("process").path("path").asText()).contains("/bin/sh", "/bin/bash");
        assertThat(events).anyMatch(e -> e.path("action").asText().equals("killed") && e.path("details").path("invoked_name").asText().equals("sh"));
        JsonNode bash = events.stream().filter(e -> e.path("process").path("path").asText().equals("/bin/bash")).findFirst().orElseThrow();
        assertThat(bash.path("kind").asText()).isEqualTo("process");
        assertThat(bash.path("action").asText()).isEqualTo("blocked");
        assertThat(bash.path("container_name").asText()).isEqualTo(secured);
        assertThat(bash.path("container_id").asText()).isEqualTo(docker.id(secured));
        assertThat(bash.path("image").asText()).isEqualTo(DockerCli.IMAGE);
        assertThat(bash.path("policy").asText()).isEqualTo("BlockShellExecution");
        assertThat(bash.path("process").path("uid").asInt()).isZero();
        assertThat(bash.path("message").asText())
                .startsWith("Blocked exec of /bin/bash in container " + secured + " (image driftguard-test/shell:1) by policy BlockShellExecution");
        assertThat(events("--container", plain)).isEmpty();

        DockerCli.Result table = daemon.cli("events", "--container", secured, "--kind", "process");
        assertThat(table.out()).contains("blocked", "BlockShellExecution", secured);
        DockerCli.Result status = daemon.cli("status");
        assertThat(status.out()).contains(secured, "fanotify FAN_OPEN_EXEC_PERM");
    }

    @Test
    void nameRegexMatchesFilesAlongThePath() throws Exception {
        String name = attachedContainer("dg-it-regex");
        assertBlocked(docker.execIn(name, "bash", "-c", "echo ran"));
        assertThat(docker.execIn(name, "sh", "-c", "echo ran").exit()).isZero();
    }

    @Test
    void pathRuleBlocksThatFileOnly() throws Exception {
        String name = attachedContainer("dg-it-path");
        assertBlocked(docker.execIn(name, "cat", "/etc/hostname"));
        assertThat(docker.execIn(name, "bash", "-c", "echo ran").exit()).isZero();
    }

    @Test
    void digestRuleCatchesARenamedCopy() throws Exception {
        String name = attachedContainer("dg-it-digest");
        assertThat(docker.execIn(name, "cp", "/bin/bash", "/tmp/x").exit()).isZero();
        assertBlocked(docker.execIn(name, "/tmp/x", "-c", "echo ran"));
        assertBlocked(docker.execIn(name, "bash", "-c", "echo ran"));
        assertThat(docker.execIn(name, "sh", "-c", "echo ran").exit()).isZero();
        assertThat(events("--container", name)).anySatisfy(e -> {
            assertThat(e.path("process").path("path").asText()).isEqualTo("/tmp/x");
            assertThat(e.path("details").path("matched").asText()).startsWith("sha256 ");
        });
    }

    @Test
    void auditModeAlertsWithoutBlocking() throws Exception {
        String name = attachedContainer("dg-it-audit");
        DockerCli.Result result = docker.execIn(name, "bash", "-c", "echo ran");
        assertThat(result.exit()).as(result.all()).isZero();
        assertThat(result.out().trim()).isEqualTo("ran");
        DaemonProcess.waitFor(java.time.Duration.ofSeconds(10), () -> !events("--container", name).isEmpty(), "audit event");
        JsonNode event = events("--container", name).get(0);
        assertThat(event.path("action").asText()).isEqualTo("alerted");
        assertThat(event.path("message").asText()).startsWith("Would have blocked exec of /bin/bash").contains("(audit mode)");
        assertThat(event.path("details").path("mode").asText()).isEqualTo("audit");
    }

    @Test
    void killActionKillsTheProcessThatExecs() throws Exception {
        String name = attachedContainer("dg-it-kill");
        DockerCli.Result result = docker.execIn(name, "bash", "-c", "cat /etc/hostname; echo status=$?");
        assertThat(result.out()).contains("status=137").doesNotContain(docker.id(name).substring(0, 12));
        DaemonProcess.waitFor(java.time.Duration.ofSeconds(10), () -> !events("--container", name).isEmpty(), "kill event");
        assertThat(events("--container", name).get(0).path("action").asText()).isEqualTo("killed");
    }

    @Test
    void aRenameIsReevaluated() throws Exception {
        String name = docker.start();
        String id = docker.id(name);
        assertThat(docker.execIn(name, "bash", "-c", "true").exit()).isZero();
        String renamed = "dg-it-renamed-" + id.substring(0, 8);
        assertThat(docker.docker("rename", name, renamed).exit()).isZero();
        docker.track(renamed);
        daemon.awaitAttached(id);
        assertBlocked(docker.execIn(renamed, "bash", "-c", "true"));
        assertThat(events("--container", renamed)).anySatisfy(e -> assertThat(e.path("policy").asText()).isEqualTo("ByName"));
    }

    @Test
    void stoppedContainersAreDetached() throws Exception {
        String name = attachedContainer("dg-it-shell");
        String id = docker.id(name);
        docker.remove(name);
        daemon.awaitDetached(id);
    }

    private static List<JsonNode> events(String... filter) {
        List<String> args = new ArrayList<>(List.of("events", "--json"));
        args.addAll(List.of(filter));
        DockerCli.Result result = daemon.cli(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : result.out().split("\n")) {
            if (!line.isBlank()) {
                try {
                    events.add(json.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
        }
        return events;
    }
}

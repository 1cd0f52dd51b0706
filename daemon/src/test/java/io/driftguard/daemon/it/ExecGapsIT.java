package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.bpf.DgTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways around exec rules that fanotify alone leaves open, tried as an attacker would against
 * a policy that blocks shells by name and blocks drift: the start race, busybox applets, names
 * made after the first exec, mounts made after attach (inside, or propagated in from the host),
 * memfd, unlinked files and the dynamic loader. Each must fail inside the container with an event naming how it was tried, while the
 * container's other programs (busybox's ls) still run.
 */
class ExecGapsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "app=dg-it-gaps";
    private static final String ESCAPED = "ESCAPED";

    @TempDir
    static Path tmp;

    private static DaemonProcess daemon;
    private static DockerCli docker;
    /** The shell test image plus dgtool (memfd and unlinked-file execs), so that dgtool is an image file. */
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        Prerequisites.requireCommand("gcc");
        docker = new DockerCli("dg-it-gaps");
        image = "driftguard-test/gaps:" + UUID.randomUUID().toString().substring(0, 8);
        String builder = "dg-it-gaps-build-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(docker.docker("create", "--name", builder, "--network", "none", DockerCli.IMAGE).exit()).isZero();
        docker.track(builder);
        assertThat(docker.docker("cp", DgTool.build().toString(), builder + ":/usr/bin/dgtool").exit()).isZero();
        DockerCli.Result commit = docker.docker("commit", "--change", "CMD [\"/bin/sleep\", \"86400\"]", builder, image);
        assertThat(commit.exit()).as(commit.all()).isZero();
        docker.remove(builder);
        daemon = new DaemonProcess(tmp);
        daemon.policy("gaps.toml", """
                [[policy]]
                name = "NoShells"
                match.labels = { app = "dg-it-gaps" }
                [[policy.process]]
                name = "no-shells"
                action = "block"
                names = ["sh", "bash", "dash", "ash", "zsh"]
                [policy.drift]
                action = "block"
                """);
        daemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
            docker.docker("rmi", "-f", image);
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A selected, sleeping container of the test image; with SYS_ADMIN when {@code sysAdmin}. */
    private static String selected(boolean sysAdmin) throws Exception {
        String name = "dg-it-gaps-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "none", "--name", name, "--label", LABEL));
        if (sysAdmin) {
            args.addAll(List.of("--cap-add", "SYS_ADMIN"));
        }
        args.add(image);
        docker.track(name);
        DockerCli.Result run = docker.docker(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.all()).isZero();
        daemon.awaitAttached(docker.id(name));
        return name;
    }

    /** Runs the command in the container and asserts it did not get to print ESCAPED. */
    private static DockerCli.Result stopped(String container, String... command) {
        DockerCli.Result r = docker.execIn(container, command);
        assertThat(r.out()).as("%s printed: %s", List.of(command), r.all()).doesNotContain(ESCAPED);
        assertThat(r.exit()).as("%s: %s", List.of(command), r.all()).isNotZero();
        return r;
    }

    private static List<JsonNode> events(String container) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : daemon.cli("events", "--container", container, "--json").out().split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    /** Waits for an event of the container whose method detail is {@code method} and whose message holds {@code text}. */
    private static void awaitEvent(String container, String method, String text) throws InterruptedException {
        DaemonProcess.waitFor(Duration.ofSeconds(15), () -> {
            try {
                return events(container).stream().anyMatch(e -> e.path("details").path("method").asText().equals(method)
                        && e.path("message").asText().contains(text));
            } catch (Exception e) {
                return false;
            }
        }, "event (" + method + ") '" + text + "' of " + container);
    }

    @Test
    void theStartRaceIsClosedForShellCommandsAndForShellsExecedAtOnce() throws Exception {
        int escapes = 0;
        for (int i = 0; i < 25; i++) {
            for (List<String> command : List.of(List.of("bash", "-c", "echo " + ESCAPED), List.of("env", "bash", "-c", "echo " + ESCAPED))) {
                List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none", "--label", LABEL, DockerCli.IMAGE));
                args.addAll(command);
                DockerCli.Result r = docker.docker(args.toArray(String[]::new));
                if (r.out().contains(ESCAPED)) {
                    escapes++;
                }
            }
        }
        assertThat(escapes).as("shells that ran in 50 racing containers").isZero();
        DockerCli.Result unselected = docker.docker("run", "--rm", "--network", "none", DockerCli.IMAGE, "bash", "-c", "echo free");
        assertThat(unselected.out()).as("a container no policy selects: %s", unselected.all()).contains("free");
    }

    @Test
    void busyboxAppletsAreStoppedAndBusyboxStillRuns() throws Exception {
        String c = selected(false);
        assertThat(docker.execIn(c, "ls", "/").exit()).as("busybox's ls").isZero();
        stopped(c, "busybox", "sh", "-c", "echo " + ESCAPED);
        stopped(c, "busybox", "ash", "-c", "echo " + ESCAPED);
        assertThat(docker.execIn(c, "ln", "-s", "/bin/busybox", "/tmp/busybox.healthcheck").exit()).isZero();
        stopped(c, "/tmp/busybox.healthcheck", "sh", "-c", "echo " + ESCAPED);
        assertThat(docker.execIn(c, "ln", "-s", "/bin/busybox", "/tmp/ash").exit()).isZero();
        stopped(c, "/tmp/ash", "-c", "echo " + ESCAPED);
        assertThat(docker.execIn(c, "ls", "/").exit()).as("busybox's ls, after all that").isZero();
        awaitEvent(c, "busybox applet", "started as sh (busybox applet)");
        awaitEvent(c, "busybox applet", "started as ash (busybox applet)");
        awaitEvent(c, "file name", "Killed /tmp/ash");
    }

    @Test
    void namesMadeAfterTheFirstExecAreStopped() throws Exception {
        String c = selected(false);
        assertThat(docker.execIn(c, "ls", "/").exit()).as("busybox ran once: it is ignored from now on").isZero();
        assertThat(docker.execIn(c, "ln", "/bin/busybox", "/tmp/sh").exit()).isZero();
        stopped(c, "/tmp/sh", "-c", "echo " + ESCAPED);
        assertThat(docker.execIn(c, "ln", "/bin/busybox", "/tmp/new-sh").exit()).isZero();
        assertThat(docker.execIn(c, "mv", "-f", "/tmp/new-sh", "/bin/sh").exit()).isZero();
        stopped(c, "/bin/sh", "-c", "echo " + ESCAPED);
        awaitEvent(c, "file name", "Killed /tmp/sh");
        awaitEvent(c, "file name", "Killed /bin/sh");
    }

    @Test
    void mountsMadeAfterTheAttachAreCovered() throws Exception {
        String c = selected(true);
        assertThat(docker.execIn(c, "mkdir", "-p", "/mnt/t").exit()).isZero();
        DockerCli.Result mount = docker.execIn(c, "mount", "-t", "tmpfs", "t", "/mnt/t");
        assertThat(mount.exit()).as(mount.all()).isZero();
        assertThat(docker.execIn(c, "cp", "/bin/busybox", "/mnt/t/tool").exit()).isZero();
        stopped(c, "/mnt/t/tool", "echo", ESCAPED);
        awaitEvent(c, "new mount", "Killed exec of tool (new mount)");

        assertThat(docker.execIn(c, "cp", "/bin/busybox", "/tmp/tool").exit()).isZero();
        DockerCli.Result copied = stopped(c, "unshare", "-m", "/tmp/tool", "echo", ESCAPED);
        assertThat(copied.all()).as("fanotify sees the mount copies of unshare(CLONE_NEWNS)").contains("not permitted");
        stopped(c, "unshare", "-m", "sh", "-c", "echo " + ESCAPED);
        assertThat(docker.execIn(c, "unshare", "-m", "ls", "/").exit()).as("ls in a new mount namespace").isZero();
    }

    /**
     * A host folder shared into a selected container with rslave propagation; after the attach the
     * host mounts a tmpfs under it holding a copy of the container's bash, which the container sees
     * at once: a mount that neither existed at attach nor was made in the container.
     */
    @Test
    void aMountPropagatedInFromTheHostIsCovered() throws Exception {
        Path shared = tmp.resolve("shared-" + UUID.randomUUID().toString().substring(0, 8));
        Path sub = shared.resolve("sub");
        Files.createDirectories(shared);
        host("mount", "--bind", shared.toString(), shared.toString());
        try {
            host("mount", "--make-rshared", shared.toString());
            String name = "dg-it-gaps-" + UUID.randomUUID().toString().substring(0, 8);
            docker.track(name);
            DockerCli.Result run = docker.docker("run", "-d", "--network", "none", "--name", name, "--label", LABEL,
                    "-v", shared + ":/data:rslave", image);
            assertThat(run.exit()).as(run.all()).isZero();
            daemon.awaitAttached(docker.id(name));
            Files.createDirectories(sub);
            host("mount", "-t", "tmpfs", "-o", "size=16m", "dg-it-gaps", sub.toString());
            assertThat(docker.docker("cp", name + ":/bin/bash", sub.resolve("tool").toString()).exit()).isZero();
            assertThat(docker.execIn(name, "ls", "/data/sub/tool").exit()).as("the container sees the host's new mount").isZero();
            stopped(name, "/data/sub/tool", "-c", "echo " + ESCAPED);
            awaitEvent(name, "new mount", "Killed exec of tool (new mount)");
            docker.remove(name);
        } finally {
            DockerCli.exec(List.of("umount", "-l", sub.toString()));
            DockerCli.exec(List.of("umount", "-l", shared.toString()));
        }
    }

    private static void host(String... command) {
        DockerCli.Result r = DockerCli.exec(List.of(command));
        assertThat(r.exit()).as("%s: %s", List.of(command), r.all()).isZero();
    }

    @Test
    void memfdUnlinkedFilesAndTheLoaderAreStopped() throws Exception {
        String c = selected(false);
        stopped(c, "dgtool", "memfd-exec", "/bin/bash", "x", "-c", "echo " + ESCAPED);
        stopped(c, "dgtool", "memfd-exec", "/bin/busybox", "x", "echo", ESCAPED);
        awaitEvent(c, "memfd", "(memfd)");
        stopped(c, "dgtool", "unlinked-exec", "/bin/busybox", "/tmp/gone", "x", "echo", ESCAPED);
        stopped(c, "/lib64/ld-linux-x86-64.so.2", "/bin/bash", "-c", "echo " + ESCAPED);
        awaitEvent(c, "loader", "started as bash (loader)");
        stopped(c, "/lib64/ld-linux-x86-64.so.2", "/usr/bin/cat", "/etc/passwd");
        awaitEvent(c, "loader", "(loader)");
        assertThat(docker.execIn(c, "/usr/bin/cat", "/etc/passwd").exit()).as("cat itself").isZero();
    }
}

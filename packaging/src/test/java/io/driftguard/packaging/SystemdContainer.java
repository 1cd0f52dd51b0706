package io.driftguard.packaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A container running systemd as PID 1, from the Debian 12 image that
 * scripts/build-test-images.sh makes, with the host's Docker socket and a folder of packages
 * (read-only, at /pkg) mounted in. Removed on close.
 */
final class SystemdContainer implements AutoCloseable {
    /**
     * Downloaded .debs are kept here between runs, so apt reaches the mirror once per package.
     * Mounted at {@link #DEB_CACHE}, not as apt's own archive folder, whose lock would make two
     * runs at once fail; see {@link #aptInstall}.
     */
    private static final String APT_CACHE = "/var/cache/driftguard-test/apt-archives";
    private static final String DEB_CACHE = "/var/cache/driftguard-debs";

    private final String name;

    private SystemdContainer(String name) {
        this.name = name;
    }

    static SystemdContainer boot(String image, String name, Path packages) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "-d", "--name", name,
                "--label", "driftguard.test=packaging",
                // Host network: apt resolves the package's dependencies from Debian's mirror.
                "--network", "host",
                "--cap-add=ALL", "--cap-drop=SYS_RESOURCE", "--security-opt", "seccomp=unconfined",
                "--cgroupns=host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                // Containers of the host's Docker live in the host's PID namespace; the unit gets
                // this /proc through a test drop-in (see DebInSystemdIT), as on a real host.
                "-v", "/proc:/host/proc:ro",
                // The host's bpffs, where the daemon pins its eBPF rules (as systemd mounts it on a host).
                "-v", "/sys/fs/bpf:/sys/fs/bpf:rw",
                "-v", APT_CACHE + ":" + DEB_CACHE,
                "-v", packages.toAbsolutePath() + ":/pkg:ro",
                image));
        Command.run(Duration.ofSeconds(30), List.of("mkdir", "-p", APT_CACHE));
        Command.Result started = Command.run(Duration.ofMinutes(1), argv);
        if (!started.ok()) {
            throw new AssertionError("cannot start " + name + ": " + started);
        }
        SystemdContainer box = new SystemdContainer(name);
        box.awaitBoot();
        return box;
    }

    /** Runs a bash script inside the container. */
    Command.Result sh(Duration timeout, String script) {
        return Command.run(timeout, List.of("docker", "exec", name, "bash", "-c", script));
    }

    /**
     * Runs `apt-get install` with the given arguments, taking .debs from the shared cache and
     * putting the ones it downloaded back (each renamed into place, for a concurrent reader).
     */
    Command.Result aptInstall(String arguments) {
        return sh(Duration.ofMinutes(6), """
                set -e
                cp %1$s/*.deb /var/cache/apt/archives/ 2>/dev/null || true
                apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q %2$s
                cd /var/cache/apt/archives
                for f in *.deb; do
                  [ -e "%1$s/$f" ] || { cp "$f" "%1$s/.$f.part" && mv "%1$s/.$f.part" "%1$s/$f"; }
                done
                """.formatted(DEB_CACHE, arguments));
    }

    /** Copies a file of the host into the container. */
    void copyIn(Path file, String target) {
        Command.Result copied = Command.run(Duration.ofMinutes(1), List.of("docker", "cp", file.toAbsolutePath().toString(), name + ":" + target));
        if (!copied.ok()) {
            throw new AssertionError("cannot copy " + file + " into " + name + ": " + copied);
        }
    }

    Command.Result sh(String script) {
        return sh(Duration.ofMinutes(2), script);
    }

    private void awaitBoot() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = sh(Duration.ofSeconds(30), "systemctl is-system-running").output().strip();
            if (state.equals("running") || state.equals("degraded")) {
                return;
            }
            sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("systemd in " + name + " did not finish booting: " + state
                + "\n" + sh("systemctl --failed --no-pager; systemctl list-jobs --no-pager").output());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        Command.run(Duration.ofMinutes(1), List.of("docker", "rm", "-f", "-v", name));
    }
}

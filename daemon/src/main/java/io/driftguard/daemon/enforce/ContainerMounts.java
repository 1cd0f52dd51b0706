package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The mounts of a container, from /proc/PID/mountinfo, that can hold something to execute. */
final class ContainerMounts {
    private static final Set<String> NOT_EXECUTABLE = Set.of(
            "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs", "debugfs", "tracefs", "bpf");

    private ContainerMounts() {
    }

    static List<ProcFs.Mount> of(ContainerRoot root) throws IOException {
        List<ProcFs.Mount> mounts = new ArrayList<>();
        for (ProcFs.Mount mount : root.mounts()) {
            if (!NOT_EXECUTABLE.contains(mount.fsType()) && !under(mount.mountPoint(), "/proc") && !under(mount.mountPoint(), "/sys")) {
                mounts.add(mount);
            }
        }
        return mounts;
    }

    /** The distinct file systems of the container's mounts (kernel dev_t), the root's first. */
    static List<Integer> devices(ContainerRoot root) throws IOException {
        return of(root).stream().map(ProcFs.Mount::device).distinct().toList();
    }

    /** The file systems mounted in the host's mount namespace (that of pid 1), kernel dev_t. */
    static Set<Integer> hostDevices() throws IOException {
        Set<Integer> devices = new java.util.HashSet<>();
        ProcFs.mounts(1).forEach(m -> devices.add(m.device()));
        return devices;
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }
}

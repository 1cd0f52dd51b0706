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

    static List<ProcFs.Mount> of(int pid) throws IOException {
        List<ProcFs.Mount> mounts = new ArrayList<>();
        for (ProcFs.Mount mount : ProcFs.mounts(pid)) {
            if (!NOT_EXECUTABLE.contains(mount.fsType()) && !under(mount.mountPoint(), "/proc") && !under(mount.mountPoint(), "/sys")) {
                mounts.add(mount);
            }
        }
        return mounts;
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }
}

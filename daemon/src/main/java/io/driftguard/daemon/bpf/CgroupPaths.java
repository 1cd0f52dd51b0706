package io.driftguard.daemon.bpf;

import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a process's cgroup v2 directory is, and its cgroup id. The cgroup2 mount is
 * {@code /sys/fs/cgroup} on pure v2 hosts and {@code /sys/fs/cgroup/unified} on hybrid ones, so
 * it is read from mountinfo rather than assumed. Docker with cgroupfs v1 still places container
 * processes in the unified hierarchy ({@code 0::/docker/<id>}), which is what BPF sees.
 */
public final class CgroupPaths {
    private CgroupPaths() {
    }

    /** The cgroup2 mount point of this mount namespace. */
    public static Path cgroup2Mount() throws IOException {
        return cgroup2Mount(ProcFs.ownMounts());
    }

    static Path cgroup2Mount(List<ProcFs.Mount> mounts) throws IOException {
        for (ProcFs.Mount mount : mounts) {
            if (mount.fsType().equals("cgroup2")) {
                return Path.of(mount.mountPoint());
            }
        }
        throw new IOException("no cgroup2 file system mounted (/proc/self/mountinfo): cgroup v2 is needed for eBPF rules");
    }

    /** The cgroup v2 directory of a process (host pid), e.g. /sys/fs/cgroup/unified/docker/ID. */
    public static Path cgroupDirOf(long pid) throws IOException {
        String relative = ProcFs.cgroup2Path(pid)
                .orElseThrow(() -> new IOException("/proc/" + pid + "/cgroup has no cgroup v2 line (0::)"));
        return cgroupDir(cgroup2Mount(), relative);
    }

    /** A cgroup2 path as /proc/PID/cgroup gives it (/docker/ID), below the mount. */
    static Path cgroupDir(Path mount, String relative) {
        return relative.equals("/") ? mount : mount.resolve(relative.substring(1));
    }

    /** The cgroup id BPF sees (bpf_get_current_cgroup_id): the directory's inode number in cgroup2. */
    public static long cgroupId(Path cgroupDir) throws IOException {
        return (Long) Files.getAttribute(cgroupDir, "unix:ino");
    }
}

package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a container's files are reached from the host: {@code /proc/PID/root} once the container
 * runs, or, at runc's createRuntime hook (mounts made, pivot_root not yet), the bundle's rootfs
 * below the root that process still shares with the host. {@code rootfs} is "" after the pivot,
 * else an absolute, normalised path as the process's mount namespace names it.
 */
record ContainerRoot(int pid, String rootfs) {
    ContainerRoot {
        if (!rootfs.isEmpty() && (!rootfs.startsWith("/") || rootfs.equals("/") || rootfs.endsWith("/")
                || rootfs.contains("//") || rootfs.contains("/./") || rootfs.contains("/../") || rootfs.endsWith("/.."))) {
            throw new IllegalArgumentException("rootfs must be an absolute, normalised path below /, not '" + rootfs + "'");
        }
    }

    static ContainerRoot running(int pid) {
        return new ContainerRoot(pid, "");
    }

    boolean beforePivot() {
        return !rootfs.isEmpty();
    }

    /** The path to open as the container's root (RootedOpen.openRoot). */
    String path() {
        return ProcFs.root(pid) + rootfs;
    }

    /** The container's mounts with mount points as seen inside the container. */
    List<ProcFs.Mount> mounts() throws IOException {
        List<ProcFs.Mount> all = ProcFs.mounts(pid);
        if (!beforePivot()) {
            return all;
        }
        // Before the pivot the process still sees the host's mounts too: only those below rootfs are the container's.
        List<ProcFs.Mount> own = new ArrayList<>();
        for (ProcFs.Mount m : all) {
            if (m.mountPoint().equals(rootfs)) {
                own.add(at(m, "/"));
            } else if (m.mountPoint().startsWith(rootfs + "/")) {
                own.add(at(m, m.mountPoint().substring(rootfs.length())));
            }
        }
        return own;
    }

    private static ProcFs.Mount at(ProcFs.Mount m, String mountPoint) {
        return new ProcFs.Mount(m.id(), m.parent(), mountPoint, m.root(), m.fsType(), m.device(), m.readOnly());
    }
}

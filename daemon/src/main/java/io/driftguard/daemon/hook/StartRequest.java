package io.driftguard.daemon.hook;

import io.driftguard.core.model.ContainerId;
import java.util.List;
import java.util.Objects;

/**
 * A container at runc's createRuntime hook: its id, the pid of {@code runc init} (already in the
 * container's cgroup, mounts made, pivot_root not yet), its root file system as that process's
 * mount namespace names it (the bundle's root.path), and the PATH of its command.
 */
public record StartRequest(ContainerId id, int pid, String rootfs, List<String> searchPath) {
    public StartRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rootfs, "rootfs");
        searchPath = List.copyOf(searchPath);
    }
}

package io.driftguard.daemon.files;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.PathGlob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The protected paths of one container ({@code [[policy.file]] action = "block"}): read-only bind
 * mounts inside its mount namespace while the sensor lives. Paths the container lacks are skipped. Writes fail with EROFS; the kernel
 * refuses them before any file is opened, so no fanotify event shows the attempt.
 */
public final class ProtectedPaths implements AutoCloseable {
    private final ContainerInfo container;
    private final ReadOnlyMounts mounts;
    private final List<String> paths;

    private ProtectedPaths(ContainerInfo container, ReadOnlyMounts mounts, List<String> paths) {
        this.container = container;
        this.mounts = mounts;
        this.paths = List.copyOf(paths);
    }

    public static ProtectedPaths attach(ContainerInfo container, List<FileWatch.Watched> rules, ReadOnlyMounts mounts,
                                        EventDispatcher events) throws IOException {
        Set<String> bases = new LinkedHashSet<>();
        for (FileWatch.Watched w : rules) {
            w.rule().paths().stream().map(PathGlob::base).forEach(bases::add);
        }
        List<String> done = new ArrayList<>();
        int rootFd = RootedOpen.openRoot(ProcFs.root(container.pid()));
        try {
            bases.removeIf(path -> ContainerFiles.statOrNull(rootFd, path) == null);
        } finally {
            RootedOpen.close(rootFd);
        }
        if (bases.isEmpty()) {
            return new ProtectedPaths(container, mounts, done);
        }
        try {
            for (String path : bases) {
                mounts.protect(container.pid(), container.id(), path);
                done.add(path);
            }
        } catch (IOException e) {
            done.forEach(p -> mounts.release(container.pid(), container.id(), p));
            throw e;
        }
        events.publish(Event.builder(EventKind.FILE, EventAction.INFO, Severity.INFO)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .policy(rules.get(0).policy().name(), rules.get(0).rule().name())
                .detail("paths", String.join(",", done))
                .message("Protected " + String.join(", ", done) + " in container " + container.name()
                        + ": read-only (writes fail with EROFS)")
                .build());
        return new ProtectedPaths(container, mounts, done);
    }

    public List<String> paths() {
        return paths;
    }

    @Override
    public void close() {
        paths.forEach(p -> mounts.release(container.pid(), container.id(), p));
    }
}

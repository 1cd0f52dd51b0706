package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyGroup;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Enforces process rules in one container: a fanotify group with FAN_OPEN_EXEC_PERM marks on the
 * container's mounts, read by the shared {@link ExecPoller}, which hands each exec to the
 * {@link ExecDecider}. Allowed files that no rule names are ignored by the kernel until they are
 * modified, so execs cost nothing after the first. The group comes from {@link ExecGroups}: under
 * systemd it outlives a crash of the daemon, and the next run adopts it.
 */
final class ExecGuard implements AutoCloseable {
    private static final Log LOG = Log.of(ExecGuard.class);
    /** Descriptor numbers below this are tried for events a crashed run read and never answered. */
    private static final int ORPHAN_FD_LIMIT = 16_384;
    /** A loop with events waiting that has not read for this long is stalled (the watchdog stops pinging). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final ContainerInfo container;
    private final FanotifyGroup group;
    private final ExecGroups.Kept kept;
    private final ExecGroups groups;
    private final ExecDecider decider;
    private final EventDispatcher events;
    private volatile ExecPoller.Registration polled;
    private final AtomicLong overflows = new AtomicLong();
    private final DecisionObserver observer;
    private volatile boolean closing;
    /** Batches read so far, for {@link #progressing}. */
    private volatile long reads;
    /** Only touched by the watchdog's thread. */
    private long readsSeen;
    private long stuckSince;

    private ExecGuard(ContainerInfo container, ExecGroups groups, ExecGroups.Kept kept, ExecDecider decider, EventDispatcher events,
                      DecisionObserver observer) {
        this.container = container;
        this.observer = observer;
        this.groups = groups;
        this.kept = kept;
        this.group = kept.group();
        this.decider = decider;
        this.events = events;
    }

    /**
     * Marks every mount of the container that can hold an executable and starts deciding.
     * {@code isolate} cuts the container's network for isolate rules; it is called with the reason.
     */
    static ExecGuard attach(ContainerInfo container, ContainerRoot root, List<RuleRef> rules, Map<RuleRef, Set<String>> kernelNames,
                            List<ExecCheck> checks, EventDispatcher events, ExecGroups groups,
                            DecisionWorkers workers, EnforcementSettings settings, Consumer<String> isolate,
                            DecisionObserver observer)
            throws IOException {
        String rootPath = root.path();
        int rootFd = RootedOpen.openRoot(rootPath);
        ExecGroups.Kept kept = null;
        try {
            FileStat containerRoot = FileStat.of(rootFd);
            if (containerRoot.mountId() == FileStat.ofLink("/").mountId()) {
                throw new IOException(rootPath + " is the host's root mount; refusing to mark it");
            }
            kept = groups.open(container.id());
            FanotifyGroup group = kept.group();
            if (kept.adopted()) {
                group.flushInodeMarks(); // ignore marks of the earlier run's rules; the mount marks are added again below
            }
            List<ProcFs.Mount> mounts = ContainerMounts.of(root);
            Set<Integer> hostDevices = ContainerMounts.hostDevices();
            boolean ownRoot = mounts.stream().anyMatch(m -> m.id() == containerRoot.mountId() && m.fsType().equals("overlay"));
            if (ownRoot) {
                group.markFilesystem(rootFd, rootPath);
            } else {
                group.markMount(rootFd, rootPath);
            }
            markOtherMounts(group, rootFd, container, mounts, hostDevices, containerRoot.mountId());
            ExecRules prepared = new ExecRules(rules, ExecTargetResolver.resolve(rootFd, container.path(), rules, kernelNames));
            ExecGuard guard = new ExecGuard(container, groups, kept,
                    new ExecDecider(container, prepared, checks, group, events, workers, settings, isolate, observer), events,
                    observer);
            guard.polled = workers.polling.register(group, guard::drain);
            guard.polled.start(guard::answerOrphans);
            return guard;
        } catch (IOException | RuntimeException e) {
            if (kept != null) {
                groups.release(kept);
            }
            throw e;
        } finally {
            RootedOpen.close(rootFd);
        }
    }

    /**
     * Volumes, tmpfs and bind mounts: an executable dropped there must be seen too. A file system
     * that the host's mount namespace does not have (the container's own tmpfs mounts) is marked
     * as a whole, so that its later mounts are covered; one shared with the host only by mount,
     * or the host would ask this container's guard about its own execs.
     */
    private static void markOtherMounts(FanotifyGroup group, int rootFd, ContainerInfo container,
                                        List<ProcFs.Mount> mounts, Set<Integer> hostDevices, long rootMountId)
            throws IOException {
        for (ProcFs.Mount mount : mounts) {
            if (mount.id() == rootMountId || mount.mountPoint().equals("/")) {
                continue;
            }
            int fd;
            try {
                fd = RootedOpen.open(rootFd, mount.mountPoint(), LibC.O_PATH | LibC.O_NOFOLLOW);
            } catch (IOException gone) {
                continue;
            }
            try {
                // Mark only what really is that mount: the path could be shadowed by another mount.
                if (FileStat.of(fd).mountId() != mount.id()) {
                    continue;
                }
                if (mount.fsType().equals("tmpfs") && !hostDevices.contains(mount.device())) {
                    group.markFilesystem(fd, container.name() + ":" + mount.mountPoint());
                } else {
                    group.markMount(fd, container.name() + ":" + mount.mountPoint());
                }
            } finally {
                RootedOpen.close(fd);
            }
        }
    }

    ExecRules rules() {
        return decider.rules();
    }

    List<ExecCheck> checks() {
        return decider.checks();
    }

    long decisions() {
        return decider.decisions();
    }

    long overflows() {
        return overflows.get();
    }

    /** Reads and decides one batch of events, on a decision thread of the poller. */
    private void drain(FanotifyGroup.Reader events) {
        if (closing) {
            return;
        }
        try {
            boolean understood = events.readEachNow(offset -> onEvent(events, offset));
            reads++;
            if (!understood) {
                stopEnforcing("unexpected fanotify metadata");
            }
        } catch (IOException | RuntimeException e) {
            stopEnforcing("reading exec events failed: " + e.getMessage());
        }
    }

    /**
     * The execs the crashed run had read but not answered still wait, and what they were is lost
     * with it: they are denied (a crash must not let a forbidden exec through), counted in an event.
     * Before this run reads the group.
     */
    private void answerOrphans() {
        if (!kept.adopted()) {
            return;
        }
        int answered = group.answerOrphans(ORPHAN_FD_LIMIT, false);
        if (answered > 0) {
            LOG.warn("container " + container.name() + ": denied " + answered + " execs that the previous run had read but not answered");
            events.publish(ExecEvents.orphansDenied(container, answered));
        }
    }

    /**
     * False once events have waited unread for {@link #STALL_NANOS} while this guard's loop read
     * nothing: its container's execs hang. Called by the watchdog's thread only.
     */
    boolean progressing(long now) {
        long seen = reads;
        if (closing || seen != readsSeen || !group.pending()) {
            readsSeen = seen;
            stuckSince = 0;
            return true;
        }
        if (stuckSince == 0) {
            stuckSince = now;
        }
        return now - stuckSince < STALL_NANOS;
    }

    ContainerInfo container() {
        return container;
    }

    /**
     * A guard that cannot read its events any more must not leave execs waiting for answers that
     * will never come: closing the group lets the kernel allow them. Said loudly, as an event.
     */
    private void stopEnforcing(String why) {
        if (closing) {
            return;
        }
        LOG.error("container " + container.name() + ": " + why + "; exec rules are no longer enforced there");
        closing = true;
        try {
            polled.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        groups.release(kept);
        events.publish(ExecEvents.stopped(container, why));
    }

    private void onEvent(FanotifyGroup.Reader events, int offset) {
        int fd = events.eventFd(offset);
        if (fd >= 0) {
            decider.handle(fd, events.pid(offset));
        } else if ((events.mask(offset) & LibC.FAN_Q_OVERFLOW) != 0) {
            overflows.incrementAndGet();
            observer.overflowed();
        }
    }

    /** Stops deciding; the kernel allows what is still pending when the group closes. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        polled.close();
        groups.release(kept);
    }
}

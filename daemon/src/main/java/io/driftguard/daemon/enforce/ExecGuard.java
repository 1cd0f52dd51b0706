package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyGroup;
import io.driftguard.daemon.kernel.FdInputStream;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.Processes;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.Action;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Enforces process rules in one container: a fanotify group with FAN_OPEN_EXEC_PERM marks on the
 * container's mounts, and one thread that answers each exec from in-memory state. The thread
 * never waits on disk or database: files needing a sha256 go to the hashing workers, and the
 * deadline guard answers them with the fail mode if hashing takes too long. Allowed files that no
 * rule names are ignored by the kernel until they are modified, so execs cost nothing after the
 * first.
 */
final class ExecGuard implements AutoCloseable {
    private static final Log LOG = Log.of(ExecGuard.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ContainerInfo container;
    private final ExecRules rules;
    private final List<ExecCheck> checks;
    private final FanotifyGroup group;
    private final EventDispatcher events;
    private final DecisionWorkers workers;
    private final DigestCache digests = new DigestCache(4096);
    private final EnforcementSettings settings;
    private final Consumer<String> isolate;
    private final Thread thread;
    private final AtomicLong decisions = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private volatile boolean closing;

    private ExecGuard(ContainerInfo container, ExecRules rules, List<ExecCheck> checks, FanotifyGroup group,
                      EventDispatcher events, DecisionWorkers workers, EnforcementSettings settings,
                      Consumer<String> isolate) {
        this.container = container;
        this.rules = rules;
        this.checks = List.copyOf(checks);
        this.group = group;
        this.events = events;
        this.workers = workers;
        this.settings = settings;
        this.isolate = isolate;
        this.thread = new Thread(this::run, "driftguard-exec-" + container.shortId());
        this.thread.setDaemon(true);
    }

    /**
     * Marks every mount of the container that can hold an executable and starts deciding.
     * {@code isolate} cuts the container's network for isolate rules; it is called with the reason.
     */
    static ExecGuard attach(ContainerInfo container, List<RuleRef> rules, Set<RuleRef> kernelNames, List<ExecCheck> checks,
                            EventDispatcher events,
                            DecisionWorkers workers, EnforcementSettings settings, Consumer<String> isolate)
            throws IOException {
        String rootPath = "/proc/" + container.pid() + "/root";
        int rootFd = RootedOpen.openRoot(rootPath);
        FanotifyGroup group = null;
        try {
            FileStat containerRoot = FileStat.of(rootFd);
            if (containerRoot.mountId() == FileStat.ofLink("/").mountId()) {
                throw new IOException(rootPath + " is the host's root mount; refusing to mark it");
            }
            group = FanotifyGroup.open();
            List<ContainerMounts.Mount> mounts = ContainerMounts.of(container.pid());
            Set<Integer> hostDevices = ContainerMounts.hostDevices();
            boolean ownRoot = mounts.stream().anyMatch(m -> m.id() == containerRoot.mountId() && m.fsType().equals("overlay"));
            if (ownRoot) {
                group.markFilesystem(rootFd, rootPath);
            } else {
                group.markMount(rootFd, rootPath);
            }
            markOtherMounts(group, rootFd, container, mounts, hostDevices, containerRoot.mountId());
            ExecRules prepared = new ExecRules(rules, ExecTargetResolver.resolve(rootFd, container.path(), rules, kernelNames));
            ExecGuard guard = new ExecGuard(container, prepared, checks, group, events, workers, settings, isolate);
            guard.thread.start();
            return guard;
        } catch (IOException | RuntimeException e) {
            if (group != null) {
                group.close();
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
                                        List<ContainerMounts.Mount> mounts, Set<Integer> hostDevices, long rootMountId)
            throws IOException {
        for (ContainerMounts.Mount mount : mounts) {
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
        return rules;
    }

    List<ExecCheck> checks() {
        return checks;
    }

    long decisions() {
        return decisions.get();
    }

    long overflows() {
        return overflows.get();
    }

    private void run() {
        FanotifyGroup.Reader events = group.reader(BUFFER_SIZE);
        while (!closing) {
            try {
                if (!events.readEach(offset -> onEvent(events, offset))) {
                    stopEnforcing("unexpected fanotify metadata");
                    return;
                }
            } catch (IOException | RuntimeException e) {
                stopEnforcing("reading exec events failed: " + e.getMessage());
                return;
            }
        }
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
        group.close();
        events.publish(ExecEvents.stopped(container, why));
    }

    private void onEvent(FanotifyGroup.Reader events, int offset) {
        int fd = events.eventFd(offset);
        if (fd >= 0) {
            handle(fd, events.pid(offset));
        } else if ((events.mask(offset) & LibC.FAN_Q_OVERFLOW) != 0) {
            overflows.incrementAndGet();
        }
    }

    private void handle(int fd, int pid) {
        decisions.incrementAndGet();
        try {
            FileStat stat = FileStat.of(fd);
            String path = RootedOpen.pathOf(fd);
            if (!rules.needsDigest() && checks.stream().noneMatch(c -> c.needsDigest(path, stat))) {
                decide(fd, pid, stat, path, null);
                RootedOpen.close(fd);
                return;
            }
            String sha256 = digests.lookup(stat);
            if (sha256 != null) {
                decide(fd, pid, stat, path, sha256);
                RootedOpen.close(fd);
                return;
            }
            hashThenDecide(fd, pid, stat, path);
        } catch (Exception | Error e) {
            LOG.error("container " + container.name() + ": exec decision failed: " + e);
            answerWithFailMode(new Pending(fd), pid, "decision failed: " + e.getMessage());
            RootedOpen.close(fd);
        }
    }

    /** A decision handed to another thread; whoever answers first wins, under the lock. */
    private static final class Pending {
        final int fd;
        boolean answered;

        Pending(int fd) {
            this.fd = fd;
        }
    }

    private void hashThenDecide(int fd, int pid, FileStat stat, String path) {
        Pending pending = new Pending(fd);
        workers.deadlines.schedule(() -> answerWithFailMode(pending, pid, "hashing took longer than "
                + settings.decisionTimeout().toMillis() + "ms"), settings.decisionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            workers.hashing.execute(() -> {
                try {
                    String sha256 = Digest.sha256(new FdInputStream(fd)).hex();
                    digests.put(stat, sha256);
                    synchronized (pending) {
                        if (!pending.answered) {
                            pending.answered = true;
                            decide(fd, pid, stat, path, sha256);
                        }
                    }
                } catch (Exception e) {
                    answerWithFailMode(pending, pid, "cannot hash: " + e.getMessage());
                } finally {
                    // After the lock: the deadline guard never writes a response for a closed fd.
                    synchronized (pending) {
                        pending.answered = true;
                    }
                    RootedOpen.close(fd);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            answerWithFailMode(pending, pid, "shutting down");
            RootedOpen.close(fd);
        }
    }

    private void answerWithFailMode(Pending pending, int pid, String why) {
        synchronized (pending) {
            if (pending.answered) {
                return;
            }
            pending.answered = true;
            respond(pending.fd, settings.failOpen());
        }
        String path = RootedOpen.pathOf(pending.fd);
        LOG.warn("container " + container.name() + ": exec of " + path + " answered by the fail mode: " + why);
        events.publish(ExecEvents.failMode(container, settings.failOpen(), why, new ProcessInfo(pid, path, null, null)));
    }

    private void decide(int fd, int pid, FileStat stat, String path, String sha256) throws IOException {
        Verdict verdict = rules.decide(stat.key(), path, sha256);
        Action taken = verdict.rule() == null ? null : verdict.rule().action();
        List<Finding> findings = checks.isEmpty() ? List.of() : findings(pid, stat, path, sha256);
        // Read from procfs while the process still waits for the answer: a denied one exits at once.
        Integer uid = taken == null && findings.isEmpty() ? null : ProcessDetails.uid(pid);
        if (taken == Action.KILL) {
            Processes.kill(pid);
        }
        respond(fd, verdict.allows() && findings.stream().allMatch(Finding::allows));
        if (verdict.ignoreFromNowOn() && findings.isEmpty()) {
            ignoreUntilModified(fd, stat);
        }
        if (taken != null) {
            ProcessInfo process = new ProcessInfo(pid, path, null, uid);
            events.publish(ExecEvents.decided(container, verdict.rule(), taken, verdict.reason(), process));
        }
        if (taken == Action.ISOLATE) {
            isolate.accept("exec of " + path + " by policy " + verdict.rule().policy().name());
        }
        if (!findings.isEmpty()) {
            ProcessInfo process = new ProcessInfo(pid, path, null, uid);
            findings.forEach(finding -> events.publish(finding.event(container, process)));
        }
        if (!verdict.afterExec().isEmpty() && verdict.allows()) {
            workers.afterExec.execute(new ArgsCheck(container, events, pid, stat, path, verdict.afterExec()));
        }
    }

    private List<Finding> findings(int pid, FileStat stat, String path, String sha256) {
        List<Finding> found = new java.util.ArrayList<>();
        for (ExecCheck check : checks) {
            Finding finding = check.check(pid, path, stat, sha256);
            if (finding != null) {
                found.add(finding);
            }
        }
        return found;
    }

    /**
     * Adds the ignore mark, then checks that the file did not change between the decision and the
     * mark: a write in that window would not clear a mark that did not exist yet.
     */
    private void ignoreUntilModified(int fd, FileStat decidedOn) throws IOException {
        group.ignoreUntilModified(fd);
        FileStat now = FileStat.of(fd);
        if (now.mtimeNanos() != decidedOn.mtimeNanos() || now.ctimeNanos() != decidedOn.ctimeNanos()
                || now.size() != decidedOn.size()) {
            group.stopIgnoring(fd);
        }
    }

    private void respond(int fd, boolean allow) {
        try {
            group.respond(fd, allow);
        } catch (IOException e) {
            LOG.error("container " + container.name() + ": " + e.getMessage());
        }
    }

    /** Stops deciding; the kernel allows what is still pending when the group closes. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        group.wake();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        group.close();
    }
}

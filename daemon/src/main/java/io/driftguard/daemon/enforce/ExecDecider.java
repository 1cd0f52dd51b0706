package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.FileHash;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.Processes;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.Action;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Decides the execs of one container. */
final class ExecDecider {
    private static final Log LOG = Log.of(ExecDecider.class);

    private final ContainerInfo container;
    private final ExecRules rules;
    private final List<ExecCheck> checks;
    private final FanotifyPermissions permissions;
    private final EventDispatcher events;
    private final DecisionWorkers workers;
    private final DigestCache digests = new DigestCache(4096);
    private final EnforcementSettings settings;
    private final Consumer<String> isolate;
    private final AtomicLong decisions = new AtomicLong();

    ExecDecider(ContainerInfo container, ExecRules rules, List<ExecCheck> checks, FanotifyPermissions permissions,
                EventDispatcher events, DecisionWorkers workers, EnforcementSettings settings, Consumer<String> isolate) {
        this.container = container;
        this.rules = rules;
        this.checks = List.copyOf(checks);
        this.permissions = permissions;
        this.events = events;
        this.workers = workers;
        this.settings = settings;
        this.isolate = isolate;
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

    void handle(int fd, int pid) {
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
                    String sha256 = FileHash.sha256(fd);
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
        permissions.ignoreUntilModified(fd);
        FileStat now = FileStat.of(fd);
        if (now.mtimeNanos() != decidedOn.mtimeNanos() || now.ctimeNanos() != decidedOn.ctimeNanos()
                || now.size() != decidedOn.size()) {
            permissions.stopIgnoring(fd);
        }
    }

    private void respond(int fd, boolean allow) {
        try {
            permissions.respond(fd, allow);
        } catch (IOException e) {
            LOG.error("container " + container.name() + ": " + e.getMessage());
        }
    }
}

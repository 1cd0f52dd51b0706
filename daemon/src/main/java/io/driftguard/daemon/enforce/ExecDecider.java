package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.FdInputStream;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.RuleExceptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Decides the execs of one container from in-memory state, on its guard's thread, never waiting on
 * disk or database. Files needing a sha256 go to the hashing workers. The deadline guard answers
 * by the fail mode any exec still undecided after the decision timeout, on either path. Every exec
 * is answered exactly once, through its {@link ExecAnswer}; the ignore mark of an allowed file comes after the answer.
 */
final class ExecDecider {
    private static final Log LOG = Log.of(ExecDecider.class);

    private final ContainerInfo container;
    private final ExecRules rules;
    private final List<ExecCheck> checks;
    private final ExecAnswer.Group answers;
    private final IgnoreMarks ignoreMarks;
    private final EventDispatcher events;
    private final DecisionWorkers workers;
    private final DigestCache digests = new DigestCache(4096);
    private final EnforcementSettings settings;
    private final Consumer<String> isolate;
    private final AtomicLong decisions = new AtomicLong();

    ExecDecider(ContainerInfo container, ExecRules rules, List<ExecCheck> checks, FanotifyPermissions permissions,
                EventDispatcher events, DecisionWorkers workers, EnforcementSettings settings, Consumer<String> isolate,
                DecisionObserver observer) {
        this.container = container;
        this.rules = rules;
        this.checks = List.copyOf(checks);
        this.answers = new ExecAnswer.Group(container, permissions, events, settings.failOpen(), observer);
        this.ignoreMarks = new IgnoreMarks(container, permissions, events);
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

    /**
     * Decides one exec; the event's descriptor {@code fd} is closed once the exec is answered.
     * Every decision has a hard time bound, {@code decision_timeout}: past it the fail mode
     * answers (with its event), whether the decision waits on hashing or on its own work.
     */
    void handle(int fd, int pid) {
        decisions.incrementAndGet();
        ExecAnswer answer = new ExecAnswer(answers, fd, pid);
        Future<?> bound = bound(answer);
        boolean handedOver = false;
        try {
            FileStat stat = FileStat.of(fd);
            String path = RootedOpen.pathOf(fd);
            boolean needsDigest = rules.needsDigest() || checks.stream().anyMatch(c -> c.needsDigest(path, stat));
            String sha256 = needsDigest ? digests.lookup(stat) : null;
            if (needsDigest && sha256 == null) {
                handedOver = hashThenDecide(answer, bound, stat, path);
            } else {
                decide(answer, stat, path, sha256);
            }
        } catch (Exception | Error e) {
            failed(answer, e);
        } finally {
            if (!handedOver) {
                bound.cancel(false);
                answer.release();
            }
        }
    }

    /** The deadline guard's answer for this exec, due after the decision timeout. */
    private Future<?> bound(ExecAnswer answer) {
        long timeout = settings.decisionTimeout().toMillis();
        try {
            return workers.deadlines.schedule(() -> answer.failMode("no decision within " + timeout + "ms (decision_timeout)"),
                    timeout, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            answer.failMode("shutting down");
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Hands the exec to the hashing workers; false when they are shutting down. */
    private boolean hashThenDecide(ExecAnswer answer, Future<?> bound, FileStat stat, String path) {
        try {
            workers.hashing.execute(() -> {
                try {
                    hashAndDecide(answer, stat, path);
                } finally {
                    bound.cancel(false);
                }
            });
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            answer.failMode("shutting down");
            return false;
        }
    }

    private void hashAndDecide(ExecAnswer answer, FileStat stat, String path) {
        try {
            String sha256;
            try {
                sha256 = Digest.sha256(new FdInputStream(answer.fd())).hex();
            } catch (IOException | RuntimeException e) {
                answer.failMode("cannot hash: " + e.getMessage());
                return;
            }
            digests.put(stat, sha256);
            if (!answer.answered()) { // past the deadline, the checks (profile learning) do not run, as before
                decide(answer, stat, path, sha256);
            }
        } catch (Exception | Error e) {
            failed(answer, e);
        } finally {
            answer.release();
        }
    }

    /** A decision that threw: the fail mode answers, unless the exec is answered already (the answer stands). */
    private void failed(ExecAnswer answer, Throwable e) {
        LOG.error("container " + container.name() + ": exec decision failed: " + e);
        answer.failMode("decision failed: " + e.getMessage());
    }

    private void decide(ExecAnswer answer, FileStat stat, String path, String sha256) {
        int pid = answer.pid();
        Supplier<RuleExceptions.Parent> parent = ExecParent.of(pid);
        Verdict verdict = rules.decide(stat.key(), path, sha256, ref -> ref.rule().except().covers(path, parent));
        Action taken = verdict.rule() == null ? null : verdict.rule().action();
        List<ExecFinding> findings = checks.isEmpty() ? List.of() : findings(pid, stat, path, sha256, parent);
        // Read from procfs while the process still waits for the answer: a denied one exits at once.
        ProcFs.Ids ids = taken == null && findings.isEmpty() ? null : ProcFs.ids(pid);
        boolean allow = verdict.allows() && findings.stream().allMatch(ExecFinding::allows);
        // Made before the answer: it notes what the process runs while it still waits in its old program.
        ArgsCheck argsCheck = !verdict.afterExec().isEmpty() && verdict.allows()
                ? new ArgsCheck(container, events, pid, stat, path, verdict.afterExec()) : null;
        if (!answer.decide(allow, taken == Action.KILL)) {
            return; // the fail mode answered first, or the answer could not be written: its own event says so
        }
        if (verdict.ignoreFromNowOn() && findings.isEmpty()) {
            ignoreMarks.ignoreUntilModified(answer.fd(), stat, path);
        }
        if (taken != null) {
            ProcessInfo process = new ProcessInfo(pid, path, null, ids.uid()).withParentPid(ids.ppid());
            events.publish(ExecEvents.decided(container, verdict.rule(), taken, verdict.reason(), process));
        }
        if (taken == Action.ISOLATE) {
            isolate.accept("exec of " + path + " by policy " + verdict.rule().policy().name());
        }
        if (!findings.isEmpty()) {
            ProcessInfo process = new ProcessInfo(pid, path, null, ids.uid()).withParentPid(ids.ppid());
            findings.stream().filter(f -> !f.excepted()).forEach(finding -> events.publish(finding.event(container, process)));
        }
        if (argsCheck != null && allow) {
            workers.afterExec.execute(argsCheck);
        }
    }

    private List<ExecFinding> findings(int pid, FileStat stat, String path, String sha256, Supplier<RuleExceptions.Parent> parent) {
        List<ExecFinding> found = new ArrayList<>();
        for (ExecCheck check : checks) {
            ExecFinding finding = check.check(pid, path, stat, sha256, parent);
            if (finding != null) {
                found.add(finding);
            }
        }
        return found;
    }
}

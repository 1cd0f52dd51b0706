package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.bpf.BpfEvent;
import io.driftguard.daemon.bpf.BpfEventTranslator;
import io.driftguard.daemon.bpf.CgroupEnforcer;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.DriftRule;
import io.driftguard.daemon.bpf.ProcessNameRule;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides the execs the kernel stopped (SIGSTOP) in a container cgroup that was made before the
 * daemon had prepared the container's rules (Docker's create event not handled yet): on its own
 * thread, it waits for the container to become known, gives the cgroup the container's rules, and
 * kills the process when one of them forbids what it ran, else resumes it. Every held process is
 * resumed or killed, also when the daemon stops.
 */
final class HeldExecs implements AutoCloseable {
    private static final Log LOG = Log.of(HeldExecs.class);
    /** The container id in a cgroup v2 path: cgroupfs ".../<id>", systemd ".../docker-<id>.scope". */
    private static final Pattern CONTAINER_CGROUP = Pattern.compile("/(?:docker-)?([0-9a-f]{64})(?:\\.scope)?$");
    /**
     * The lookup asks the engine itself, which lists a container from its create on, before runc
     * makes its cgroup; one still unknown after this is not this engine's (or the engine does not
     * answer). Short, since another engine's containers are held this long.
     */
    private static final long WAIT_FOR_CONTAINER_MS = 2_000;
    /** Between lookups: each may be an engine call. */
    private static final long MAX_PAUSE_MS = 100;

    /** A known container's identity and kernel rules; {@code rules} null when no policy selects it. */
    record Known(ContainerInfo container, ContainerRules rules) {
    }

    private final CgroupEnforcer bpf;
    private final EventDispatcher events;
    private final Function<ContainerId, Optional<Known>> lookup;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "driftguard-held");
        t.setDaemon(true);
        return t;
    });
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong unknown = new AtomicLong();

    HeldExecs(CgroupEnforcer bpf, EventDispatcher events, Function<ContainerId, Optional<Known>> lookup) {
        this.bpf = bpf;
        this.events = events;
        this.lookup = lookup;
    }

    /** Called on the ring buffer thread: hands the decision on at once. */
    void accept(BpfEvent.Held exec) {
        int pid = exec.process().pid();
        held.add(pid);
        try {
            executor.execute(() -> decide(exec));
        } catch (RejectedExecutionException stopping) {
            release(pid);
        }
    }

    private void decide(BpfEvent.Held exec) {
        int pid = exec.process().pid();
        long start = System.nanoTime();
        try {
            ContainerId id = containerIdOf(pid);
            Optional<Known> known = id == null ? Optional.empty() : lookup.apply(id);
            for (long pause = 5; known.isEmpty() && id != null
                    && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(WAIT_FOR_CONTAINER_MS); pause = Math.min(2 * pause, MAX_PAUSE_MS)) {
                Thread.sleep(pause);
                known = lookup.apply(id);
            }
            if (known.isEmpty()) {
                long count = unknown.incrementAndGet();
                events.publish(Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.MEDIUM)
                        .detail("pid", Integer.toString(pid))
                        .detail("count", Long.toString(count))
                        .message("Resumed pid " + pid + " (" + exec.process().path() + "), stopped at exec in a cgroup of a container"
                                + " driftguard does not know (" + (id == null ? "not a Docker container id" : id)
                                + "; another engine's?): " + count + " since start")
                        .build());
                release(pid);
                return;
            }
            bpf.adopt(exec.cgroupId(), id);
            LOG.info("pid " + pid + " of container " + known.get().container().name() + " was held at exec for "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms until its rules were known");
            BpfEvent verdict = verdict(exec, known.get());
            if (verdict != null && (verdict instanceof BpfEvent.Exec x ? x.action() : ((BpfEvent.Drift) verdict).action())
                    == EventAction.KILLED) {
                Processes.kill(pid);
                held.remove(pid);
            } else {
                release(pid);
            }
            if (verdict != null) {
                events.publish(BpfEventTranslator.toEvent(verdict));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(pid);
        } catch (NoSuchFileException gone) {
            held.remove(pid); // killed meanwhile (another daemon's rule, a kill by hand): nothing left to decide
            LOG.info("held pid " + pid + " ended before it was decided");
        } catch (IOException | RuntimeException e) {
            LOG.error("deciding held pid " + pid + ": " + e.getMessage() + "; resuming it");
            release(pid);
        }
    }

    /** What the container's own rules say of the exec, or null when they allow it. */
    private static BpfEvent verdict(BpfEvent.Held exec, Known known) {
        if (known.rules() == null) {
            return null;
        }
        if (exec.drift()) {
            DriftRule rule = known.rules().decidingDrift();
            return rule == null ? null : new BpfEvent.Drift(known.container(), rule, action(rule.action()), exec.process(),
                    exec.name(), exec.method());
        }
        ProcessNameRule match = null;
        for (ProcessNameRule rule : known.rules().processNames()) {
            if (rule.names().contains(exec.name()) && (match == null || action(rule.action()) == EventAction.KILLED)) {
                match = rule;
            }
        }
        return match == null ? null : new BpfEvent.Exec(known.container(), match, action(match.action()), exec.process(),
                exec.name(), exec.method());
    }

    private static EventAction action(io.driftguard.daemon.bpf.KernelAction action) {
        return action == io.driftguard.daemon.bpf.KernelAction.ALERT ? EventAction.ALERTED : EventAction.KILLED;
    }

    /** The Docker container id of a process's cgroup v2 path, or null. */
    static ContainerId containerIdOf(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"))) {
            if (line.startsWith("0::")) {
                Matcher m = CONTAINER_CGROUP.matcher(line.substring(3));
                return m.find() ? ContainerId.parse(m.group(1)) : null;
            }
        }
        return null;
    }

    private void release(int pid) {
        held.remove(pid);
        Processes.resume(pid);
    }

    /** Resumes whatever is still held: a stopped process must not outlive the daemon's decision. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        for (Integer pid : Set.copyOf(held)) {
            release(pid);
        }
    }
}

package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.bpf.CgroupEnforcer;
import io.driftguard.daemon.bpf.CgroupPaths;
import io.driftguard.daemon.bpf.ContainerHandle;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.BpfException;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.docker.KnownContainer;
import io.driftguard.daemon.docker.ContainerListener;
import io.driftguard.daemon.hook.StartAnswer;
import io.driftguard.daemon.hook.StartRequest;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicySet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps one sensor on every running container that a policy selects. Called from the Docker
 * watcher (start, stop, rename, resync) and on reload; all methods are synchronized, and none of
 * them is on an exec decision path.
 */
public final class SensorManager implements ContainerListener, AutoCloseable {
    private static final Log LOG = Log.of(SensorManager.class);

    private final Enforcement enforcement;
    private final Map<ContainerId, ContainerInfo> running = new LinkedHashMap<>();
    private final Map<ContainerId, Sensor> sensors = new LinkedHashMap<>();
    private final Map<ContainerId, String> failures = new LinkedHashMap<>();
    /** Every container Docker has, by id: each gets its kernel rules as a template before it starts. */
    private final Map<ContainerId, KnownContainer> known = new LinkedHashMap<>();
    /** eBPF handles of containers isolated by hand while no policy selects them. */
    private final Map<ContainerId, ContainerHandle> isolatedOnly = new LinkedHashMap<>();
    private PolicySet policies;
    /** The sensors as of the last change, for the watchdog, which must not wait for this manager's lock. */
    private volatile List<Sensor> watched = List.of();
    /** Null without eBPF. */
    private final HeldExecs held;
    private volatile Function<ContainerId, Optional<KnownContainer>> engine = id -> Optional.empty();

    /**
     * {@code bpf} may be null when eBPF could not be loaded ({@code bpfError} then says why); with
     * {@code baselines}, drift, profile and file rules are enforced too; exec guards take their
     * fanotify groups from {@code groups}.
     */
    public SensorManager(PolicySet policies, EventDispatcher events, EnforcementSettings settings, CgroupEnforcer bpf,
                         String bpfError, BaselineServices baselines, ExecGroups groups) {
        this(policies, events, settings, bpf, bpfError, baselines, groups, DecisionObserver.NONE);
    }

    /** As above, with every exec answer and fanotify overflow told to {@code observer} (the metrics). */
    public SensorManager(PolicySet policies, EventDispatcher events, EnforcementSettings settings, CgroupEnforcer bpf,
                         String bpfError, BaselineServices baselines, ExecGroups groups, DecisionObserver observer) {
        this.policies = policies;
        this.enforcement = new Enforcement(events, new DecisionWorkers(), settings, bpf, bpfError, baselines, groups, observer);
        this.held = bpf == null ? null : new HeldExecs(bpf, events, this::knownRules);
        if (bpf != null) {
            bpf.onHold(held::accept);
            holdUnknown();
        }
    }

    /** Every policy's name and drift rules, for cgroups made before their container was prepared. */
    private void holdUnknown() {
        try {
            enforcement.bpf().holdUnknown(BpfRules.split(policies.policies(), enforcement.bpf().probe()).kernel());
        } catch (BpfException | RuntimeException e) {
            LOG.error("the rules for containers not prepared yet cannot be written: " + e.getMessage());
            enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                    .message("Execs in containers started before driftguard knew them are not stopped: " + e.getMessage())
                    .build());
        }
    }

    /**
     * Where held execs look up a container whose create event has not been handled yet (the watcher
     * thread can be seconds behind on a loaded host); set once the engine's watcher exists.
     */
    public void lookUpUnannounced(Function<ContainerId, Optional<KnownContainer>> engine) {
        this.engine = engine;
    }

    /**
     * A container's kernel rules (null rules when no policy selects it), for held execs: from
     * Docker's events or, not waiting for them, from the engine, which then prepares its template.
     */
    private Optional<HeldExecs.Known> knownRules(ContainerId id) {
        Optional<KnownContainer> container;
        synchronized (this) {
            container = Optional.ofNullable(known.get(id));
        }
        if (container.isEmpty()) {
            container = engine.apply(id); // outside the lock: an engine call
            container.ifPresent(this::created);
        }
        return container.map(this::rulesOf);
    }

    private synchronized HeldExecs.Known rulesOf(KnownContainer container) {
        BpfRules split = BpfRules.split(policies.selecting(container.facts()), enforcement.bpf().probe());
        return new HeldExecs.Known(container.beforeStart(), split.needsKernel() ? split.kernel() : null);
    }

    /** Makes the attached set match exactly the given running containers (start and resync). */
    @Override
    public synchronized void resynced(Collection<ContainerInfo> containers) {
        Set<ContainerId> ids = new HashSet<>();
        for (ContainerInfo container : containers) {
            ids.add(container.id());
            if (!running.containsKey(container.id())) {
                started(container);
            }
        }
        for (ContainerId id : new ArrayList<>(running.keySet())) {
            if (!ids.contains(id)) {
                stopped(id);
            }
        }
    }

    /** Makes the prepared set match exactly the containers Docker has (start and resync). */
    @Override
    public synchronized void known(Collection<KnownContainer> containers) {
        Set<ContainerId> ids = new HashSet<>();
        for (KnownContainer container : containers) {
            ids.add(container.id());
            created(container);
        }
        for (ContainerId id : new ArrayList<>(known.keySet())) {
            if (!ids.contains(id)) {
                removed(id);
            }
        }
    }

    /**
     * A container Docker created (or already had): its kernel rules are written as a template that
     * the kernel gives its cgroup the moment the cgroup is made, before its first exec.
     */
    @Override
    public synchronized void created(KnownContainer container) {
        known.put(container.id(), container);
        prepare(container);
    }

    /** A container Docker removed. */
    @Override
    public synchronized void removed(ContainerId id) {
        if (known.remove(id) != null && enforcement.bpf() != null) {
            try {
                enforcement.bpf().unprepare(id);
            } catch (BpfException e) {
                LOG.warn("forgetting the kernel template of container " + id + ": " + e.getMessage());
            }
        }
    }

    private void prepare(KnownContainer container) {
        if (enforcement.bpf() == null) {
            return;
        }
        List<Policy> selecting = policies.selecting(container.facts());
        BpfRules split = BpfRules.split(selecting, enforcement.bpf().probe());
        ContainerInfo ref = container.beforeStart();
        try {
            ContainerRules before = split.kernel().withoutNetwork();
            enforcement.bpf().prepare(ref, before.equals(ContainerRules.none()) ? null : before);
        } catch (BpfException | RuntimeException e) {
            LOG.error("container " + container.name() + ": its kernel rules cannot be prepared before it starts: " + e.getMessage());
            enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                    .container(container.id(), container.name(), container.image(), container.imageId())
                    .message("The kernel rules of container " + container.name() + " are not in place before it starts: "
                            + e.getMessage() + "; they apply from the attach on")
                    .build());
        }
    }

    @Override
    public synchronized void started(ContainerInfo container) {
        running.put(container.id(), container);
        apply(container);
    }

    @Override
    public synchronized void stopped(ContainerId id) {
        running.remove(id);
        failures.remove(id);
        detach(id, "stopped");
        ContainerHandle handle = isolatedOnly.remove(id);
        if (handle != null) {
            handle.close();
        }
    }

    /**
     * Cuts a running container (by name or id prefix) off the network until {@link #release}.
     * Works for any container, selected by a policy or not. Returns what happened, for the CLI.
     */
    public synchronized String isolate(String nameOrId, String reason) {
        Optional<ContainerInfo> found = find(nameOrId);
        if (found.isEmpty()) {
            return "error: no running container " + nameOrId;
        }
        ContainerInfo container = found.get();
        Sensor sensor = sensors.get(container.id());
        if (sensor != null) {
            return sensor.isolate(reason) ? "isolated " + container.name()
                    : "error: cannot isolate " + container.name() + ": " + Optional.ofNullable(sensor.kernelError()).orElse("see the log");
        }
        if (enforcement.bpf() == null) {
            return "error: cannot isolate " + container.name() + ": eBPF is unavailable: " + enforcement.bpfError();
        }
        try {
            ContainerHandle handle = isolatedOnly.get(container.id());
            if (handle == null) {
                handle = enforcement.bpf().attach(container, CgroupPaths.cgroupDirOf(container.pid()), ContainerRules.none());
                isolatedOnly.put(container.id(), handle);
            }
            handle.isolate(reason);
            return "isolated " + container.name();
        } catch (IOException | RuntimeException e) {
            return "error: cannot isolate " + container.name() + ": " + e.getMessage();
        }
    }

    public synchronized String release(String nameOrId, String reason) {
        Optional<ContainerInfo> found = find(nameOrId);
        if (found.isEmpty()) {
            return "error: no running container " + nameOrId;
        }
        ContainerInfo container = found.get();
        Sensor sensor = sensors.get(container.id());
        ContainerHandle handle = isolatedOnly.remove(container.id());
        if (handle != null) {
            handle.release(reason);
            handle.close();
        } else if (sensor == null || !sensor.isolated()) {
            return "error: container " + container.name() + " is not isolated";
        } else {
            sensor.release(reason);
        }
        return "released " + container.name();
    }

    private Optional<ContainerInfo> find(String nameOrId) {
        return running.values().stream()
                .filter(c -> c.name().equals(nameOrId) || (nameOrId.length() >= 4 && c.id().startsWith(nameOrId)))
                .findFirst();
    }

    @Override
    public synchronized void renamed(ContainerId id, String newName) {
        ContainerInfo before = running.get(id);
        if (before != null && !before.name().equals(newName)) {
            ContainerInfo after = before.renamed(newName);
            running.put(id, after);
            apply(after);
        }
        KnownContainer was = known.get(id);
        if (was != null && !was.name().equals(newName)) {
            created(was.renamed(newName));
        }
    }

    /** Swaps in a new, already validated policy set and re-applies it to every running container. */
    public synchronized void reload(PolicySet newPolicies) {
        policies = newPolicies;
        if (enforcement.bpf() != null) {
            holdUnknown();
        }
        known.values().forEach(this::prepare);
        for (ContainerInfo container : new ArrayList<>(running.values())) {
            apply(container);
        }
    }

    public synchronized boolean isAttached(ContainerId id) {
        return sensors.containsKey(id);
    }

    /** The host pid of a running container's first process, whose /proc/PID/root is the container's root. */
    public synchronized OptionalInt pid(ContainerId id) {
        ContainerInfo container = running.get(id);
        return container == null || container.pid() <= 0 ? OptionalInt.empty() : OptionalInt.of(container.pid());
    }

    public synchronized int attachedCount() {
        return sensors.size();
    }

    public synchronized int runningCount() {
        return running.size();
    }

    public synchronized PolicySet policies() {
        return policies;
    }

    /** Every container with a sensor, a failed attach or a hand-made isolation, by name; rules in a stable order. */
    public synchronized List<SensorStatus> status() {
        List<SensorStatus> result = new ArrayList<>();
        for (Sensor sensor : sensors.values()) {
            ContainerInfo c = sensor.container();
            result.add(new SensorStatus(c.id(), c.name(), c.image(), sensor.policies().stream().map(Policy::name).toList(),
                    sensor.ruleStatus().stream().sorted(SensorStatus.RuleStatus.ORDER).toList(), sensor.decisions(),
                    sensor.isolated(), sensor.kernelError()));
        }
        failures.forEach((id, error) -> {
            ContainerInfo c = running.get(id);
            if (c != null) {
                result.add(new SensorStatus(c.id(), c.name(), c.image(), List.of(), List.of(), 0, false, error));
            }
        });
        isolatedOnly.forEach((id, handle) -> {
            ContainerInfo c = running.get(id);
            if (c != null) {
                result.add(new SensorStatus(c.id(), c.name(), c.image(), List.of(), List.of(), 0, handle.isolated(), null));
            }
        });
        result.sort(Comparator.comparing(SensorStatus::containerName).thenComparing(s -> s.containerId().toString()));
        return result;
    }

    /** A running container without a sensor, and why. */
    public record Unattached(ContainerId containerId, String containerName, String image, String reason) {
    }

    /** The running containers that no sensor enforces on, by name, each with the reason. */
    public synchronized List<Unattached> unattached() {
        List<Unattached> result = new ArrayList<>();
        for (ContainerInfo c : running.values()) {
            if (sensors.containsKey(c.id())) {
                continue;
            }
            String failure = failures.get(c.id());
            String reason = failure != null ? "attach failed: " + failure
                    : policies.selecting(c.facts()).isEmpty() ? "not selected by any policy" : "not attached yet";
            result.add(new Unattached(c.id(), c.name(), c.image(), reason));
        }
        result.sort(Comparator.comparing(Unattached::containerName).thenComparing(u -> u.containerId().toString()));
        return result;
    }

    /** Attaches, replaces or detaches the sensor of one container according to the current policies. */
    private void apply(ContainerInfo container) {
        List<Policy> selecting = policies.selecting(container.facts());
        Sensor current = sensors.get(container.id());
        if (selecting.isEmpty()) {
            failures.remove(container.id());
            detach(container.id(), "no policy selects it");
            return;
        }
        if (current != null && current.policies().equals(selecting) && current.container().equals(container)) {
            if (current.filesPending()) {
                attachFiles(current);
            }
            return;
        }
        attach(container, ContainerRoot.running(container.pid()), selecting, current);
    }

    /** The file rules of a sensor the start hook attached, now that the container runs. */
    private void attachFiles(Sensor sensor) {
        ContainerInfo container = sensor.container();
        try {
            sensor.attachFiles(enforcement);
        } catch (IOException | RuntimeException e) {
            LOG.error("container " + container.name() + ": file rules not enforced: " + e.getMessage());
            enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                    .container(container.id(), container.name(), container.image(), container.imageId())
                    .message("The file rules of container " + container.name() + " are not enforced: " + e.getMessage()
                            + "; its other rules are")
                    .build());
        }
    }

    /**
     * runc's createRuntime hook: attaches the container's enforcement before its first exec. The
     * container comes from Docker's create event or, when that has not been handled yet, from
     * {@code lookup} (which must not wait for the container's lock: dockerd holds it meanwhile).
     */
    public StartAnswer beforeStart(StartRequest request, Function<ContainerId, Optional<KnownContainer>> lookup) {
        Optional<KnownContainer> container;
        synchronized (this) {
            container = Optional.ofNullable(known.get(request.id()));
        }
        if (container.isEmpty()) {
            container = lookup.apply(request.id());
        }
        if (container.isEmpty()) {
            return StartAnswer.failed("Docker does not list container " + request.id());
        }
        return attachBeforeStart(container.get(), request);
    }

    private synchronized StartAnswer attachBeforeStart(KnownContainer known, StartRequest request) {
        List<Policy> selecting = policies.selecting(known.facts());
        if (selecting.isEmpty()) {
            return StartAnswer.NOT_SELECTED;
        }
        ContainerInfo container = new ContainerInfo(known.id(), known.name(), known.image(), known.imageId(), request.pid(),
                known.labels(), request.searchPath());
        String error = attach(container, new ContainerRoot(request.pid(), request.rootfs()), selecting,
                sensors.get(container.id()));
        return error == null ? StartAnswer.ATTACHED : StartAnswer.failed(error);
    }

    /** The hook timed out before the answer: unless Docker reported the start meanwhile, the attach is undone. */
    public synchronized void abandoned(StartRequest request) {
        if (!running.containsKey(request.id())) {
            detach(request.id(), "its start hook gave up before the attach was done");
        }
    }

    /** Attaches (or replaces) the sensor of one selected container; the error, or null. */
    private String attach(ContainerInfo container, ContainerRoot root, List<Policy> selecting, Sensor current) {
        try {
            boolean isolatedByHand = takeIsolatedOnly(container.id());
            Sensor fresh = Sensor.attach(container, root, selecting, enforcement, current);
            if (isolatedByHand) {
                fresh.isolate("isolation kept now that a policy selects the container");
            }
            sensors.put(container.id(), fresh);
            watched = List.copyOf(sensors.values());
            if (fresh.kernelError() != null) {
                enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                        .container(container.id(), container.name(), container.image(), container.imageId())
                        .message("Network, syscall and by-name rules are not enforced on container " + container.name()
                                + ": " + fresh.kernelError() + "; its exec rules are")
                        .build());
            }
            for (String refused : fresh.refusedRules()) {
                LOG.error("container " + container.name() + ": rule not enforced: " + refused);
                enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                        .container(container.id(), container.name(), container.image(), container.imageId())
                        .message("A rule is not enforced on container " + container.name() + ": " + refused
                                + "; the other rules are")
                        .build());
            }
            failures.remove(container.id());
            LOG.info("attached to container " + container.name() + " (" + container.id().shortForm() + ", image "
                    + container.image() + "): policies " + selecting.stream().map(Policy::name).toList()
                    + (root.beforePivot() ? ", before its first exec (start hook)" : ""));
            closeQuietly(current);
            return null;
        } catch (IOException | RuntimeException e) {
            failures.put(container.id(), e.getMessage());
            LOG.error("cannot attach to container " + container.name() + ": " + e.getMessage());
            enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                    .container(container.id(), container.name(), container.image(), container.imageId())
                    .message("Cannot enforce policies on container " + container.name() + ": " + e.getMessage()
                            + (current != null ? " (keeping the previous enforcement)" : ""))
                    .build());
            return e.getMessage();
        }
    }

    /** Closes a hand-made isolation handle, since a sensor is about to own the cgroup; true if it was isolated. */
    private boolean takeIsolatedOnly(ContainerId id) {
        ContainerHandle handle = isolatedOnly.remove(id);
        if (handle == null) {
            return false;
        }
        boolean isolated = handle.isolated();
        handle.close();
        return isolated;
    }

    private void detach(ContainerId id, String why) {
        Sensor sensor = sensors.remove(id);
        watched = List.copyOf(sensors.values());
        if (sensor != null) {
            LOG.info("detached from container " + sensor.container().name() + ": " + why);
            closeQuietly(sensor);
        }
    }

    private static void closeQuietly(Sensor sensor) {
        if (sensor == null) {
            return;
        }
        sensor.close();
    }

    /**
     * Containers whose exec decision loop has had events waiting, unread, for seconds: their
     * execs hang. For the watchdog's thread only (the check keeps state between calls).
     */
    public List<String> stalled() {
        long now = System.nanoTime();
        List<String> stalled = new ArrayList<>();
        for (Sensor sensor : watched) {
            if (!sensor.progressing(now)) {
                stalled.add(sensor.container().name());
            }
        }
        return stalled;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (ContainerId id : new ArrayList<>(sensors.keySet())) {
            detach(id, "daemon stopping");
        }
        isolatedOnly.values().forEach(ContainerHandle::close);
        isolatedOnly.clear();
        if (held != null) {
            held.close();
        }
        enforcement.workers().close();
    }
}

package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicySet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one sensor on every running container that a policy selects. Called from the Docker
 * watcher (start, stop, rename, resync) and on reload; all methods are synchronized, and none of
 * them is on an exec decision path.
 */
public final class SensorManager implements AutoCloseable {
    private static final Log LOG = Log.of(SensorManager.class);

    private final Enforcement enforcement;
    private final Map<String, ContainerInfo> running = new LinkedHashMap<>();
    private final Map<String, Sensor> sensors = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private PolicySet policies;

    public SensorManager(PolicySet policies, EventDispatcher events, EnforcementSettings settings) {
        this(policies, events, settings, null);
    }

    /** With {@code baselines}, drift, profile and file rules are enforced too. */
    public SensorManager(PolicySet policies, EventDispatcher events, EnforcementSettings settings,
                         BaselineServices baselines) {
        this.policies = policies;
        this.enforcement = new Enforcement(events, new DecisionWorkers(), settings, baselines);
    }

    /** Makes the attached set match exactly the given running containers (start and resync). */
    public synchronized void sync(Collection<ContainerInfo> containers) {
        Set<String> ids = new HashSet<>();
        for (ContainerInfo container : containers) {
            ids.add(container.id());
            if (!running.containsKey(container.id())) {
                started(container);
            }
        }
        for (String id : new ArrayList<>(running.keySet())) {
            if (!ids.contains(id)) {
                stopped(id);
            }
        }
    }

    public synchronized void started(ContainerInfo container) {
        running.put(container.id(), container);
        apply(container);
    }

    public synchronized void stopped(String id) {
        running.remove(id);
        failures.remove(id);
        detach(id, "stopped");
    }

    public synchronized void renamed(String id, String newName) {
        ContainerInfo before = running.get(id);
        if (before != null && !before.name().equals(newName)) {
            ContainerInfo after = before.renamed(newName);
            running.put(id, after);
            apply(after);
        }
    }

    /** Swaps in a new, already validated policy set and re-applies it to every running container. */
    public synchronized void reload(PolicySet newPolicies) {
        policies = newPolicies;
        for (ContainerInfo container : new ArrayList<>(running.values())) {
            apply(container);
        }
    }

    public synchronized boolean isAttached(String id) {
        return sensors.containsKey(id);
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

    public synchronized List<SensorStatus> status() {
        List<SensorStatus> result = new ArrayList<>();
        for (Sensor sensor : sensors.values()) {
            ContainerInfo c = sensor.container();
            result.add(new SensorStatus(c.id(), c.name(), c.image(), sensor.policies().stream().map(Policy::name).toList(),
                    sensor.ruleStatus(), sensor.decisions(), null));
        }
        failures.forEach((id, error) -> {
            ContainerInfo c = running.get(id);
            if (c != null) {
                result.add(new SensorStatus(c.id(), c.name(), c.image(), List.of(), List.of(), 0, error));
            }
        });
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
            return;
        }
        try {
            Sensor fresh = Sensor.attach(container, selecting, enforcement);
            sensors.put(container.id(), fresh);
            failures.remove(container.id());
            LOG.info("attached to container " + container.name() + " (" + container.shortId() + ", image "
                    + container.image() + "): policies " + selecting.stream().map(Policy::name).toList());
            closeQuietly(current);
        } catch (IOException | RuntimeException e) {
            failures.put(container.id(), e.getMessage());
            LOG.error("cannot attach to container " + container.name() + ": " + e.getMessage());
            enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                    .container(container.id(), container.name(), container.image(), container.imageId())
                    .message("Cannot enforce policies on container " + container.name() + ": " + e.getMessage()
                            + (current != null ? " (keeping the previous enforcement)" : ""))
                    .build());
        }
    }

    private void detach(String id, String why) {
        Sensor sensor = sensors.remove(id);
        if (sensor != null) {
            LOG.info("detached from container " + sensor.container().name() + ": " + why);
            closeQuietly(sensor);
        }
    }

    private static void closeQuietly(Sensor sensor) {
        if (sensor == null) {
            return;
        }
        try {
            sensor.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (String id : new ArrayList<>(sensors.keySet())) {
            detach(id, "daemon stopping");
        }
        enforcement.workers().close();
    }
}

package io.driftguard.scan.run;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.Severity;
import io.driftguard.scan.config.ImagePolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects a run's findings from the scan threads and hands each to the event sinks at once. */
public final class Findings {
    private final EventDispatcher events;
    private final List<Finding> all = new ArrayList<>();
    private final Map<FindingType, Integer> counts = new EnumMap<>(FindingType.class);
    private final Set<String> warnings = new LinkedHashSet<>();
    private final ImagePolicy policy;
    private int failing;

    /** {@code policy} says which image findings make the run fail. */
    public Findings(EventDispatcher events, ImagePolicy policy) {
        this.events = events;
        this.policy = policy;
    }

    public synchronized void add(Finding finding) {
        all.add(finding);
        counts.merge(finding.type(), 1, Integer::sum);
        String severity = finding.details().get("severity");
        if (severity != null && policy.fails(Severity.fromWire(severity))) {
            failing++;
        }
        events.publish(finding.toEvent());
    }

    /** A warning for the run's report (an old advisory database); each is kept once. */
    public synchronized void warn(String warning) {
        warnings.add(warning);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Image findings at or above {@code [scan] fail_on}. */
    public synchronized int failing() {
        return failing;
    }

    public synchronized List<Finding> list() {
        return List.copyOf(all);
    }

    public synchronized int count(FindingType type) {
        return counts.getOrDefault(type, 0);
    }
}

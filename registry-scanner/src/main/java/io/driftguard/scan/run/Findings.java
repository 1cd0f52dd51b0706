package io.driftguard.scan.run;

import io.driftguard.core.event.EventDispatcher;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects a run's findings from the scan threads and hands each to the event sinks at once. */
public final class Findings {
    private final EventDispatcher events;
    private final List<Finding> all = new ArrayList<>();
    private final Map<FindingType, Integer> counts = new EnumMap<>(FindingType.class);

    public Findings(EventDispatcher events) {
        this.events = events;
    }

    public synchronized void add(Finding finding) {
        all.add(finding);
        counts.merge(finding.type(), 1, Integer::sum);
        events.publish(finding.toEvent());
    }

    public synchronized List<Finding> list() {
        return List.copyOf(all);
    }

    public synchronized int count(FindingType type) {
        return counts.getOrDefault(type, 0);
    }
}

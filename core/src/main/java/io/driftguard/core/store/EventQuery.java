package io.driftguard.core.store;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.time.Instant;

/**
 * What {@code driftguard events} asks the store for; null fields do not filter, set ones are ANDed.
 * {@code since} is inclusive, {@code until} exclusive; the container matches by name or by id
 * prefix. Without {@code allHosts}, only this host's events (and those recorded before host ids).
 */
public record EventQuery(Instant since, Instant until, String container, EventKind kind, EventAction action,
                         Severity severity, String policy, String rule, int limit, boolean allHosts) {
    public EventQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    public EventQuery(Instant since, String container, EventKind kind, int limit, boolean allHosts) {
        this(since, null, container, kind, null, null, null, null, limit, allHosts);
    }

    public EventQuery(Instant since, String container, EventKind kind, int limit) {
        this(since, container, kind, limit, false);
    }

    /**
     * Whether the event passes the filters the store keeps no column for (severity, rule); the
     * others are SQL conditions ({@link EventStore}).
     */
    boolean matchesUnindexed(Event event) {
        return (severity == null || severity == event.severity()) && (rule == null || rule.equals(event.rule()));
    }

    boolean hasUnindexed() {
        return severity != null || rule != null;
    }
}

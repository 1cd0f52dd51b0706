package io.driftguard.core.store;

import io.driftguard.core.event.EventKind;
import java.time.Instant;

/**
 * What {@code driftguard events} asks the store for; null fields do not filter. Without
 * {@code allHosts}, only this host's events (and those recorded before host ids).
 */
public record EventQuery(Instant since, String container, EventKind kind, int limit, boolean allHosts) {
    public EventQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    public EventQuery(Instant since, String container, EventKind kind, int limit) {
        this(since, container, kind, limit, false);
    }
}

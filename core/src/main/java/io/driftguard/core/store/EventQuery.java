package io.driftguard.core.store;

import io.driftguard.core.event.EventKind;
import java.time.Instant;

/** What {@code driftguard events} asks the store for; null fields do not filter. */
public record EventQuery(Instant since, String container, EventKind kind, int limit) {
    public EventQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}

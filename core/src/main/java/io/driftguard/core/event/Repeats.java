package io.driftguard.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * How many identical events one event stands for ({@code count}, at least 1) and when the first
 * and the last of them happened: set on an aggregate or an overflow event, null on a single one.
 */
public record Repeats(long count, Instant first, Instant last) {
    public Repeats {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
    }
}

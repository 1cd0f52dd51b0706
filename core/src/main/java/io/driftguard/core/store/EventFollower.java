package io.driftguard.core.store;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The events appended to a store after a starting point, poll by poll ({@code driftguard events
 * --follow}). A poll reads the rows between a settled id (the floor) and the newest id, which the
 * id index answers cheaply whatever the filters. SQLite has one writer, so ids become visible in
 * order and the floor moves to the newest id at once. In a PostgreSQL store shared by several
 * hosts a row with a smaller id can commit after a bigger one: there the floor trails by
 * {@link #SHARED_SETTLE}, and the ids printed above it are remembered so that none is printed twice.
 */
public final class EventFollower {
    static final Duration SHARED_SETTLE = Duration.ofSeconds(10);
    private static final int BATCH = 1000;

    private record Mark(Instant time, long newestId) {
    }

    private final EventStore store;
    private final EventQuery query;
    private final Duration settle;
    private final Deque<Mark> marks = new ArrayDeque<>();
    private final NavigableSet<Long> printed = new TreeSet<>();
    private long floor;

    /** Follows the events of {@code store} matching {@code query} (its limit aside) after id {@code startId}. */
    public EventFollower(EventStore store, EventQuery query, long startId) {
        this(store, query, startId, store.sharedWriters() ? SHARED_SETTLE : Duration.ZERO);
    }

    EventFollower(EventStore store, EventQuery query, long startId, Duration settle) {
        this.store = store;
        this.query = query;
        this.settle = settle;
        this.floor = startId;
    }

    /** The matching events that became visible since the last poll, in id order. */
    public List<StoredEvent> poll(Instant now) throws SQLException {
        long newest = store.lastId();
        marks.addLast(new Mark(now, newest));
        List<EventStore.Row> fresh = new ArrayList<>();
        long after = floor;
        List<EventStore.Row> rows;
        do {
            rows = store.after(after, newest, query, BATCH);
            for (EventStore.Row row : rows) {
                after = row.id();
                if (!printed.contains(row.id())) {
                    fresh.add(row);
                }
            }
        } while (rows.size() == BATCH);
        // Remembered only once every batch was read: a poll that fails part way is tried again from the same place.
        fresh.forEach(row -> printed.add(row.id()));
        while (!marks.isEmpty() && !marks.peekFirst().time().isAfter(now.minus(settle))) {
            floor = Math.max(floor, marks.pollFirst().newestId());
        }
        printed.headSet(floor, true).clear();
        return fresh.stream().map(EventStore.Row::stored).toList();
    }
}

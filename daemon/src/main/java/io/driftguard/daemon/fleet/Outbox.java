package io.driftguard.daemon.fleet;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events on their way to the shared store, in the host's local SQLite cache: every event is
 * queued here first, whether the shared store answers or not, and leaves only once it is there.
 * The row number is the host's sequence number, which makes sending a row twice harmless. It
 * holds at most {@code maxEvents} ({@code [store] outbox_max_events}): an event that finds it full
 * is not queued but counted (it stays in the host's local store and journal), and
 * {@link #takeDropped} hands the count to whoever reports it.
 */
public final class Outbox implements EventSink {
    private final Database local;
    private final long maxEvents;
    private final AtomicLong queued;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong droppedTotal = new AtomicLong();

    public Outbox(Database local, long maxEvents) throws SQLException {
        this.local = local;
        this.maxEvents = maxEvents;
        this.queued = new AtomicLong(count());
    }

    /** One queued event and its sequence number. */
    public record Queued(long seq, EventRow row) {
    }

    @Override
    public void accept(Event event) throws SQLException {
        // One writer (the event dispatcher's thread): the check and the insert do not race.
        if (queued.get() >= maxEvents) {
            dropped.increment();
            droppedTotal.incrementAndGet();
            return;
        }
        try (Connection c = local.connection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO fleet_outbox(" + EventRow.COLUMNS + ") VALUES(?,?,?,?,?,?,?)")) {
            EventRow.of(event).bind(insert, 1);
            insert.executeUpdate();
        }
        queued.incrementAndGet();
    }

    /** The oldest {@code max} queued events. */
    public List<Queued> oldest(int max) throws SQLException {
        List<Queued> batch = new ArrayList<>();
        try (Connection c = local.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT seq, " + EventRow.COLUMNS + " FROM fleet_outbox ORDER BY seq LIMIT ?")) {
            q.setInt(1, max);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    batch.add(new Queued(rs.getLong(1), EventRow.read(rs, 2)));
                }
            }
        }
        return batch;
    }

    /** Forgets the events up to and including {@code seq}: the shared store has them. */
    public void sentUpTo(long seq) throws SQLException {
        try (Connection c = local.connection(); PreparedStatement d = c.prepareStatement("DELETE FROM fleet_outbox WHERE seq <= ?")) {
            d.setLong(1, seq);
            queued.addAndGet(-d.executeUpdate());
        }
    }

    /** The events queued now. */
    public long size() {
        return queued.get();
    }

    public long maxEvents() {
        return maxEvents;
    }

    /** The events dropped since the last call; they are counted as reported from then on. */
    public long takeDropped() {
        return dropped.sumThenReset();
    }

    /** Every event dropped since the daemon started. */
    public long droppedTotal() {
        return droppedTotal.get();
    }

    private long count() throws SQLException {
        try (Connection c = local.connection(); PreparedStatement q = c.prepareStatement("SELECT count(*) FROM fleet_outbox");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}

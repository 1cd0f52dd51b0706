package io.driftguard.core.store;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events in the store: the columns that queries filter on, and the whole event as JSON. */
public final class EventStore implements EventSink {
    private final Database database;
    private final String hostId;

    /** The events of a store; {@code hostId} is written on every row and is "this host" to queries. */
    public EventStore(Database database, String hostId) throws SQLException {
        this.database = database;
        this.hostId = hostId;
        database.migrate("events");
    }

    @Override
    public void accept(Event event) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO events(" + EventRow.COLUMNS + ", host_id) VALUES(?,?,?,?,?,?,?,?)")) {
            EventRow.of(event).bind(insert, 1);
            insert.setString(EventRow.COUNT + 1, hostId);
            insert.executeUpdate();
        }
    }

    /** What one {@link #prune} removed: events past {@code max_age}, and the oldest ones over {@code max_size}. */
    public record Pruned(long byAge, long bySize) {
    }

    /**
     * Enforces {@code retention}: removes events older than its age, then the oldest events in
     * batches while the store uses more than its size. Freed pages are reused by later events, so
     * the file stops growing at about the size.
     */
    public Pruned prune(Retention retention, Instant now) throws SQLException {
        long byAge = pruneOlderThan(now.minus(retention.maxAge()));
        long bySize = 0;
        while (usedBytes() > retention.maxBytes()) {
            long removed;
            long batch = Math.max(1000, count() / 10);
            try (Connection c = database.connection();
                 PreparedStatement delete = c.prepareStatement(
                         "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)")) {
                delete.setLong(1, batch);
                removed = delete.executeUpdate();
            }
            if (removed == 0) {
                break;
            }
            bySize += removed;
        }
        return new Pruned(byAge, bySize);
    }

    /** Removes the events of every host recorded before {@code cutoff}; returns how many. */
    public long pruneOlderThan(Instant cutoff) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM events WHERE time_ms < ?")) {
            delete.setLong(1, cutoff.toEpochMilli());
            return delete.executeUpdate();
        }
    }

    private long count() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM events");
             ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Bytes the store's events take: SQLite's pages in use, or PostgreSQL's size of the events table. */
    public long usedBytes() throws SQLException {
        String sql = database.dialect() == Dialect.SQLITE
                ? "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()"
                : "SELECT pg_total_relation_size('events')";
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement(sql);
             ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Events matching the query, oldest first; the container matches by name or by id prefix. */
    public List<Event> find(EventQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT json FROM (SELECT id, json FROM events WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (query.since() != null) {
            sql.append(" AND time_ms >= ?");
            args.add(query.since().toEpochMilli());
        }
        if (query.container() != null) {
            sql.append(" AND (container_name = ? OR substr(container_id, 1, length(?)) = ?)");
            args.add(query.container());
            args.add(query.container());
            args.add(query.container());
        }
        if (!query.allHosts()) {
            sql.append(" AND (host_id = ? OR host_id IS NULL)");
            args.add(hostId);
        }
        if (query.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(query.kind().wire());
        }
        sql.append(" ORDER BY id DESC LIMIT ?) newest ORDER BY id");
        args.add(query.limit());
        try (Connection c = database.connection(); PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<Event> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(EventJson.fromJson(rs.getString(1)));
                }
            }
            return events;
        }
    }
}

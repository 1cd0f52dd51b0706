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
import java.util.Collections;
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
        acceptAll(List.of(event));
    }

    /** One transaction and one batch for all: a commit per event was most of a burst's cost. */
    @Override
    public void acceptAll(List<Event> events) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO events(" + EventRow.COLUMNS + ", host_id) VALUES(?,?,?,?,?,?,?,?)")) {
            c.setAutoCommit(events.size() == 1);
            try {
                for (Event event : events) {
                    EventRow.of(event).bind(insert, 1);
                    insert.setString(EventRow.COUNT + 1, hostId);
                    insert.addBatch();
                }
                insert.executeBatch();
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            } catch (SQLException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
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

    /** Events matching the query, oldest first: the newest {@code limit} of them. */
    public List<Event> find(EventQuery query) throws SQLException {
        return stored(query, Long.MAX_VALUE).stream().map(StoredEvent::event).toList();
    }

    /** As {@link #find(EventQuery)}, with each row's host id, among the events up to id {@code upToId} ({@link #lastId}). */
    public List<StoredEvent> stored(EventQuery query, long upToId) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, host_id, json FROM events WHERE id <= ?");
        args.add(upToId);
        where(query, sql, args);
        sql.append(" ORDER BY id DESC");
        if (!query.hasUnindexed()) {
            sql.append(" LIMIT ?");
            args.add(query.limit());
        }
        List<StoredEvent> events = new ArrayList<>();
        select(sql.toString(), args, query, query.limit()).forEach(row -> events.add(row.stored()));
        Collections.reverse(events);
        return events;
    }

    /** The newest event's id, 0 in an empty store: where {@link EventFollower} starts. */
    public long lastId() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement("SELECT MAX(id) FROM events");
             ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** A stored event and its row id; ids grow with every insert. */
    record Row(long id, StoredEvent stored) {
    }

    /** Up to {@code max} events with ids in (afterId, upToId] that match, oldest first. */
    List<Row> after(long afterId, long upToId, EventQuery query, int max) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, host_id, json FROM events WHERE id > ? AND id <= ?");
        args.add(afterId);
        args.add(upToId);
        where(query, sql, args);
        sql.append(" ORDER BY id LIMIT ?");
        args.add(max);
        return select(sql.toString(), args, query, max);
    }

    /** Appends the query's indexed filters as SQL conditions. */
    private void where(EventQuery query, StringBuilder sql, List<Object> args) {
        if (query.since() != null) {
            sql.append(" AND time_ms >= ?");
            args.add(query.since().toEpochMilli());
        }
        if (query.until() != null) {
            sql.append(" AND time_ms < ?");
            args.add(query.until().toEpochMilli());
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
        if (query.action() != null) {
            sql.append(" AND action = ?");
            args.add(query.action().wire());
        }
        if (query.policy() != null) {
            sql.append(" AND policy = ?");
            args.add(query.policy());
        }
    }

    /**
     * Runs a select of (id, host_id, json) and keeps up to {@code max} rows whose event passes the query's
     * unindexed filters; reading stops there.
     */
    private List<Row> select(String sql, List<Object> args, EventQuery query, int max) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rows.size() < max && rs.next()) {
                    Event event = EventJson.fromJson(rs.getString(3));
                    if (query.matchesUnindexed(event)) {
                        rows.add(new Row(rs.getLong(1), new StoredEvent(rs.getString(2), event)));
                    }
                }
            }
            return rows;
        }
    }

    /** Whether ids may become visible out of order (concurrent writers of a shared PostgreSQL store). */
    boolean sharedWriters() {
        return database.dialect() != Dialect.SQLITE;
    }
}

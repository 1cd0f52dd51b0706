package io.driftguard.daemon.fleet;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventRow;
import io.driftguard.core.store.EventStore;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaseline;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a host's SQLite store into the shared one: its events (tagged with this host when they
 * predate host ids), image baselines, process profiles and the scanner's approvals. Running it
 * again copies nothing twice: an event keeps its SQLite row number as a negative host sequence
 * number (live events count up from the cache's creation time, so the two never meet); a baseline,
 * learning state or approval the shared store has already is kept.
 */
public final class StoreMigration {
    private static final int BATCH = 1000;

    private final Database source;
    private final Database central;
    private final String hostId;

    public StoreMigration(Database source, Database central, String hostId) {
        this.source = source;
        this.central = central;
        this.hostId = hostId;
    }

    /** What one run copied (rows new to the shared store). */
    public record Copied(long events, int baselines, int profiles, int approvals) {
    }

    public Copied run() throws SQLException {
        new EventStore(central, hostId);
        BaselineStore from = BaselineStore.on(source);
        BaselineStore to = BaselineStore.on(central);
        long events = events();
        return new Copied(events, baselines(from, to), profiles(from, to), approvals());
    }

    private long events() throws SQLException {
        String insert = "INSERT INTO events(" + EventRow.COLUMNS + ", host_id, host_seq) VALUES(?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (host_id, host_seq) DO NOTHING";
        // Batches are sent as multi-row INSERTs, whose counts pgjdbc does not report: count the rows instead.
        long before = migratedEvents();
        long after = 0;
        while (true) {
            List<Long> ids = new ArrayList<>();
            List<EventRow> rows = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            try (Connection c = source.connection(); PreparedStatement q = c.prepareStatement(
                    "SELECT id, " + EventRow.COLUMNS + ", host_id FROM events WHERE id > ? ORDER BY id LIMIT ?")) {
                q.setLong(1, after);
                q.setInt(2, BATCH);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        rows.add(EventRow.read(rs, 2));
                        hosts.add(rs.getString(2 + EventRow.COUNT));
                    }
                }
            }
            if (ids.isEmpty()) {
                return migratedEvents() - before;
            }
            try (Connection c = central.connection(); PreparedStatement i = c.prepareStatement(insert)) {
                c.setAutoCommit(false);
                for (int n = 0; n < ids.size(); n++) {
                    rows.get(n).bind(i, 1);
                    i.setString(EventRow.COUNT + 1, hosts.get(n) == null ? hostId : hosts.get(n));
                    i.setLong(EventRow.COUNT + 2, -ids.get(n));
                    i.addBatch();
                }
                i.executeBatch();
                c.commit();
            }
            after = ids.get(ids.size() - 1);
        }
    }

    private long migratedEvents() throws SQLException {
        try (Connection c = central.connection(); PreparedStatement q = c.prepareStatement("SELECT count(*) FROM events WHERE host_seq < 0");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int baselines(BaselineStore from, BaselineStore to) throws SQLException {
        int copied = 0;
        Map<Digest, Instant> there = to.baselinesBuilt();
        for (Digest image : from.baselinesBuilt().keySet()) {
            Optional<ImageBaseline> baseline = there.containsKey(image) ? Optional.empty() : from.load(image);
            if (baseline.isPresent()) {
                to.save(baseline.get());
                copied++;
            }
        }
        return copied;
    }

    private static int profiles(BaselineStore from, BaselineStore to) throws SQLException {
        int copied = 0;
        for (Digest image : from.profiledImages()) {
            BaselineSync.mergeProfile(from, to, image);
            copied++;
        }
        return copied;
    }

    /** The scanner's approvals, where both stores have its tables; an approval already in the shared store wins. */
    private int approvals() throws SQLException {
        if (!hasTable(source, "registry_tags") || !hasTable(central, "registry_tags")) {
            return -1;
        }
        // Who approved and until when, where both stores' scanners are new enough to record it.
        boolean byAndExpiry = source.hasColumn("registry_tags", "approved_until_ms") && central.hasColumn("registry_tags", "approved_until_ms");
        String columns = "registry, repository, tag, current_digest, approved_digest, approved_ms"
                + (byAndExpiry ? ", approved_by, approved_until_ms" : "");
        int count = byAndExpiry ? 8 : 6;
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = source.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT " + columns + " FROM registry_tags WHERE approved_digest IS NOT NULL");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[count];
                for (int n = 0; n < count; n++) {
                    row[n] = rs.getObject(n + 1);
                }
                rows.add(row);
            }
        }
        int copied = 0;
        try (Connection c = central.connection(); PreparedStatement u = c.prepareStatement(
                "INSERT INTO registry_tags(" + columns + ") VALUES(?,?,?,?,?,?" + (byAndExpiry ? ",?,?" : "") + ")"
                        + " ON CONFLICT (registry, repository, tag) DO UPDATE SET approved_digest = excluded.approved_digest,"
                        + " approved_ms = excluded.approved_ms"
                        + (byAndExpiry ? ", approved_by = excluded.approved_by, approved_until_ms = excluded.approved_until_ms" : "")
                        + " WHERE registry_tags.approved_digest IS NULL")) {
            for (Object[] row : rows) {
                for (int n = 0; n < row.length; n++) {
                    u.setObject(n + 1, row[n] instanceof Integer i ? Long.valueOf(i) : row[n]);
                }
                copied += u.executeUpdate();
            }
        }
        return copied;
    }

    private static boolean hasTable(Database database, String table) throws SQLException {
        try (Connection c = database.connection(); ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
            return rs.next();
        }
    }
}

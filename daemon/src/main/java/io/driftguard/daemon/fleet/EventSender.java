package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Sends the outbox to the shared events table in batches, oldest first. A batch is one
 * transaction; a row the shared store already has (same host and sequence number, from a batch
 * whose answer was lost) is skipped by the unique index, so every event arrives exactly once.
 */
public final class EventSender {
    static final int BATCH = 500;
    private static final String INSERT = "INSERT INTO events(" + EventRow.COLUMNS + ", host_id, host_seq) VALUES(?,?,?,?,?,?,?,?,?)"
            + " ON CONFLICT (host_id, host_seq) DO NOTHING";

    private final Outbox outbox;
    private final String hostId;
    private long sent;

    public EventSender(Outbox outbox, String hostId) {
        this.outbox = outbox;
        this.hostId = hostId;
    }

    /** Sends what is queued until the outbox is empty; returns how many were sent. */
    public long drain(Database central) throws SQLException {
        long total = 0;
        for (List<Outbox.Queued> batch; !(batch = outbox.oldest(BATCH)).isEmpty(); ) {
            try (Connection c = central.connection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
                c.setAutoCommit(false);
                for (Outbox.Queued queued : batch) {
                    queued.row().bind(insert, 1);
                    insert.setString(EventRow.COUNT + 1, hostId);
                    insert.setLong(EventRow.COUNT + 2, queued.seq());
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            }
            outbox.sentUpTo(batch.get(batch.size() - 1).seq());
            total += batch.size();
        }
        synchronized (this) {
            sent += total;
        }
        return total;
    }

    public synchronized long sent() {
        return sent;
    }
}

package io.driftguard.daemon.metrics;

import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The registry scanner's last finished run, read from the store both programs share
 * ({@code [store]}): the scanner writes {@code registry_runs} (its migration
 * registry/V5__registry_runs.sql), the daemon only reads it; with a shared PostgreSQL store,
 * the copy of its last finished run that the fleet link keeps in the local cache, so that a
 * scrape never waits on the database. The table is absent until the scanner first ran against
 * this store, and then there is nothing to report.
 */
public final class ScannerRuns implements MetricSources.Lookup<MetricSources.ScanRun> {
    private final Database database;
    private final String table;

    /** The runs in {@code table}, which has registry_runs' columns id, finished_ms, tags, drift, tamper and errors. */
    public ScannerRuns(Database database, String table) {
        this.database = database;
        this.table = table;
    }

    @Override
    public Optional<MetricSources.ScanRun> read() throws SQLException {
        try (Connection c = database.connection()) {
            try (ResultSet tables = c.getMetaData().getTables(null, null, table, null)) {
                if (!tables.next()) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT finished_ms, tags, drift, tamper, errors FROM " + table
                    + " WHERE finished_ms IS NOT NULL ORDER BY id DESC LIMIT 1");
                 ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new MetricSources.ScanRun(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5))) : Optional.empty();
            }
        }
    }
}

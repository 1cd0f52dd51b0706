package io.driftguard.daemon.fleet;

import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Some columns of a table of the shared store, copied whole into a table of the local cache from
 * which decisions read: the scanner's approvals (registry_tags) and image scans (scan_results),
 * written by {@code driftguard-scan} on any host, and its last run (registry_runs) for the metrics. Admission reads the copy, so it never waits on
 * the shared store. A shared store without the table (the scanner never ran) copies as empty;
 * a column that a scanner older than it never made copies as NULL.
 */
final class TableCopy {
    static final String SCANNER_RUNS = "fleet_scanner_runs";
    private final Database local;
    private final String localTable;
    private final String centralTable;
    private final List<String> columns;
    private final List<String> newer;
    private final String where;

    /**
     * {@code where} picks the rows to copy (SQL on the central table's columns, no parameters);
     * {@code newer} are columns of {@code columns} that the central table may not have yet.
     */
    TableCopy(Database local, String localTable, String centralTable, List<String> columns, List<String> newer, String where) {
        this.local = local;
        this.localTable = localTable;
        this.centralTable = centralTable;
        this.columns = List.copyOf(columns);
        this.newer = List.copyOf(newer);
        this.where = where;
    }

    static TableCopy approvals(Database local) {
        return new TableCopy(local, "fleet_approvals", "registry_tags",
                List.of("registry", "repository", "tag", "approved_digest", "approved_ms", "approved_by", "approved_until_ms"),
                List.of("approved_by", "approved_until_ms"), "approved_digest IS NOT NULL");
    }

    static TableCopy scans(Database local) {
        return new TableCopy(local, "fleet_scans", "scan_results", List.of("image_digest", "max_severity", "scanned_ms"), List.of(),
                "1 = 1");
    }

    /** The scanner's last finished run, which the metrics read. */
    static TableCopy scannerRuns(Database local) {
        return new TableCopy(local, SCANNER_RUNS, "registry_runs", List.of("id", "finished_ms", "tags", "drift", "tamper", "errors"),
                List.of(), "id = (SELECT max(id) FROM registry_runs WHERE finished_ms IS NOT NULL)");
    }

    String localTable() {
        return localTable;
    }

    /** Replaces the local copy with the shared store's rows, in one local transaction; returns how many. */
    int refresh(Database central) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = central.connection()) {
            boolean exists;
            try (ResultSet tables = c.getMetaData().getTables(null, null, centralTable, null)) {
                exists = tables.next();
            }
            if (exists) {
                List<String> select = new ArrayList<>();
                for (String column : columns) {
                    select.add(newer.contains(column) && !hasColumn(c, column) ? "NULL" : column);
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT " + String.join(", ", select) + " FROM " + centralTable + " WHERE " + where)) {
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        rows.add(row);
                    }
                }
            }
        }
        try (Connection c = local.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + localTable);
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO " + localTable + "(" + String.join(", ", columns) + ") VALUES("
                    + String.join(",", Collections.nCopies(columns.size(), "?")) + ")")) {
                for (Object[] row : rows) {
                    for (int n = 0; n < row.length; n++) {
                        i.setObject(n + 1, row[n]);
                    }
                    i.addBatch();
                }
                i.executeBatch();
            }
            c.commit();
        }
        return rows.size();
    }

    private boolean hasColumn(Connection c, String column) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(null, null, centralTable, column)) {
            return rs.next();
        }
    }
}

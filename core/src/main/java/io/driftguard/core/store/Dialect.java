package io.driftguard.core.store;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between the SQL engines a store can live in, so that stores write each statement
 * once. The names of the migration folders are this enum's; the schema itself (types, keys,
 * {@code WITHOUT ROWID}) lives in the per-dialect migrations, not here.
 */
public enum Dialect {
    /** The embedded default: one file, {@code rowid} on every table that does not opt out. */
    SQLITE("sqlite", "rowid"),
    /** A database shared by a fleet of hosts; tables that need an insertion order have {@code seq}. */
    POSTGRESQL("postgresql", "seq");

    private final String folder;
    private final String insertionOrder;

    Dialect(String folder, String insertionOrder) {
        this.folder = folder;
        this.insertionOrder = insertionOrder;
    }

    /** The folder under {@code db/} whose migrations make this dialect's schema. */
    public String folder() {
        return folder;
    }

    /**
     * An insert of {@code columns} (parameters in that order) that, when a row with the same
     * {@code key} exists, sets that row's {@code update} columns instead.
     */
    public String upsert(String table, List<String> columns, List<String> key, List<String> update) {
        return insert(table, columns) + " ON CONFLICT(" + String.join(", ", key) + ") DO UPDATE SET "
                + update.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    }

    /** An insert of {@code columns} that keeps the row already there when one with the same {@code key} exists. */
    public String insertIfAbsent(String table, List<String> columns, List<String> key) {
        return insert(table, columns) + " ON CONFLICT(" + String.join(", ", key) + ") DO NOTHING";
    }

    /** An expression ordering {@code alias}'s rows as they were inserted (ties of a time column). */
    public String insertionOrder(String alias) {
        return alias + "." + insertionOrder;
    }

    private static String insert(String table, List<String> columns) {
        return "INSERT INTO " + table + "(" + String.join(", ", columns) + ") VALUES("
                + String.join(",", Collections.nCopies(columns.size(), "?")) + ")";
    }
}

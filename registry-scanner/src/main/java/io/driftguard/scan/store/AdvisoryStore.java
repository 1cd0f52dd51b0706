package io.driftguard.scan.store;

import io.driftguard.core.store.Database;
import io.driftguard.core.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline advisory database: OSV advisories by id, their affected packages indexed by
 * ecosystem and name, and the imports that filled it. An import replaces advisories of the same id.
 */
public final class AdvisoryStore {
    static final String COMPONENT = "advisories";

    private final Database database;

    public AdvisoryStore(Database database) throws SQLException {
        database.migrate(COMPONENT);
        this.database = database;
    }

    /** Stores a batch of advisories in one transaction; the caller sends batches of a few thousand. */
    public void save(List<AdvisoryRecord> batch) throws SQLException {
        try (Connection db = database.connection()) {
            Transaction.run(db, () -> saveBatch(db, batch));
        }
    }

    private void saveBatch(Connection db, List<AdvisoryRecord> batch) throws SQLException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM scan_affected WHERE advisory_id = ?");
             PreparedStatement upsert = db.prepareStatement(database.dialect().upsert("scan_advisories",
                     List.of("id", "aliases", "summary", "severity", "modified_ms"), List.of("id"),
                     List.of("aliases", "summary", "severity", "modified_ms")));
             PreparedStatement affected = db.prepareStatement(
                     "INSERT INTO scan_affected(advisory_id, ecosystem, name, affected) VALUES(?,?,?,?)")) {
            for (AdvisoryRecord a : batch) {
                delete.setString(1, a.id());
                delete.addBatch();
                upsert.setString(1, a.id());
                upsert.setString(2, String.join(" ", a.aliases()));
                upsert.setString(3, a.summary());
                upsert.setString(4, a.severity());
                upsert.setLong(5, a.modified().toEpochMilli());
                upsert.addBatch();
                for (AdvisoryRecord.Affected p : a.affected()) {
                    affected.setString(1, a.id());
                    affected.setString(2, p.ecosystem());
                    affected.setString(3, p.name());
                    affected.setString(4, p.json());
                    affected.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
            affected.executeBatch();
        }
    }

    public void recordImport(ImportRecord record) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement insert = db.prepareStatement("INSERT INTO scan_imports(source, sha256, imported_ms, advisories, "
                + "newest_modified_ms, ecosystems) VALUES(?,?,?,?,?,?)")) {
            insert.setString(1, record.source());
            insert.setString(2, record.sha256());
            insert.setLong(3, record.imported().toEpochMilli());
            insert.setLong(4, record.advisories());
            insert.setLong(5, record.newestModified().toEpochMilli());
            insert.setString(6, record.ecosystems());
            insert.executeUpdate();
        }
    }

    /** Every import, oldest first. */
    public List<ImportRecord> imports() throws SQLException {
        List<ImportRecord> result = new ArrayList<>();
        try (Connection db = database.connection(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT source, sha256, imported_ms, advisories, "
                + "newest_modified_ms, ecosystems FROM scan_imports ORDER BY id")) {
            while (rs.next()) {
                result.add(new ImportRecord(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
            }
        }
        return result;
    }

    /** Advisories held per ecosystem. */
    public Map<String, Long> countsByEcosystem() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = database.connection(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT ecosystem, count(DISTINCT advisory_id) FROM scan_affected GROUP BY ecosystem ORDER BY ecosystem")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /**
     * Advisories naming package {@code name} in ecosystem {@code ecosystem} or one below it
     * ("Ubuntu:22.04" also finds "Ubuntu:22.04:LTS"), each with only the matching affected entries.
     */
    public List<AdvisoryRecord> affecting(String ecosystem, String name) throws SQLException {
        Map<String, List<AdvisoryRecord.Affected>> affected = new LinkedHashMap<>();
        Map<String, AdvisoryRecord> advisories = new LinkedHashMap<>();
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement("SELECT a.id, a.aliases, a.summary, a.severity, a.modified_ms, "
                + "f.ecosystem, f.affected FROM scan_affected f JOIN scan_advisories a ON a.id = f.advisory_id "
                + "WHERE f.name = ? AND (f.ecosystem = ? OR substr(f.ecosystem, 1, ?) = ?) ORDER BY a.id")) {
            q.setString(1, name);
            q.setString(2, ecosystem);
            q.setInt(3, ecosystem.length() + 1);
            q.setString(4, ecosystem + ":");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    advisories.putIfAbsent(id, new AdvisoryRecord(id, aliases(rs.getString(2)), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), List.of()));
                    affected.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new AdvisoryRecord.Affected(rs.getString(6), name, rs.getString(7)));
                }
            }
        }
        List<AdvisoryRecord> result = new ArrayList<>();
        advisories.forEach((id, a) -> result.add(new AdvisoryRecord(id, a.aliases(), a.summary(), a.severity(), a.modified(),
                affected.get(id))));
        return result;
    }

    private static List<String> aliases(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }
}

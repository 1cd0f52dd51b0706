package io.driftguard.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Each component's tables are versioned SQL resources applied by Flyway, one folder per dialect
 * ({@code db/<dialect>/<component>/V<n>__<what>.sql}) and one history table per component
 * ({@code <component>_schema_history}), so that the daemon and the scanner each migrate their own
 * tables in the file they share.
 *
 * <p>Stores written before Flyway (release 0.1.0) kept their version per component in
 * {@code schema_migrations}, one step per version; the first Flyway migration files are those
 * steps. Such a store is adopted in place: Flyway records the old version as its baseline and
 * applies only what is newer, and the old row is dropped.
 */
final class Migrations {
    private static final String LEGACY_TABLE = "schema_migrations";

    private Migrations() {
    }

    static void apply(DataSource source, Dialect dialect, String component, String where) throws SQLException {
        String location = "db/" + dialect.folder() + "/" + component;
        if (CurrentSchema.isCurrent(source, location, historyTable(component))) {
            return;
        }
        int legacy = legacyVersion(source, component);
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(source)
                    .loggers("slf4j")
                    .locations("classpath:" + location)
                    .failOnMissingLocations(true)
                    // A store migrated by a newer release is refused rather than half understood.
                    .ignoreMigrationPatterns(new String[0])
                    .table(historyTable(component))
                    // The schema is shared: other components' tables make it non-empty before this
                    // component's first migration, so a new component starts from baseline 0.
                    .baselineOnMigrate(true)
                    .baselineVersion(Integer.toString(legacy))
                    .baselineDescription(legacy == 0 ? "new" : "adopted from " + LEGACY_TABLE)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new SQLException("cannot migrate the " + component + " tables of " + where + ": " + e.getMessage(), e);
        }
        if (legacy > 0) {
            forgetLegacy(source, component);
        }
    }

    private static String historyTable(String component) {
        return component + "_schema_history";
    }

    /** The version a pre-Flyway store recorded for {@code component}; 0 when there is none. */
    private static int legacyVersion(DataSource source, String component) throws SQLException {
        try (Connection c = source.getConnection()) {
            try (ResultSet tables = c.getMetaData().getTables(null, null, LEGACY_TABLE, null)) {
                if (!tables.next()) {
                    return 0;
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT version FROM " + LEGACY_TABLE + " WHERE component = ?")) {
                q.setString(1, component);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        }
    }

    private static void forgetLegacy(DataSource source, String component) throws SQLException {
        try (Connection c = source.getConnection();
             PreparedStatement d = c.prepareStatement("DELETE FROM " + LEGACY_TABLE + " WHERE component = ?");
             Statement s = c.createStatement()) {
            d.setString(1, component);
            d.executeUpdate();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + LEGACY_TABLE)) {
                if (rs.next() && rs.getInt(1) == 0) {
                    s.executeUpdate("DROP TABLE " + LEGACY_TABLE);
                }
            }
        }
    }
}

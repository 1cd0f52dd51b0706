package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class CurrentSchemaTest {
    private static final String EVENTS = "db/sqlite/events";

    @TempDir
    Path tmp;

    @Test
    void aStoreMigratedByThisProgramIsCurrentAndAnyDoubtLeavesItToFlyway() throws Exception {
        Path file = tmp.resolve("driftguard.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        assertThat(CurrentSchema.isCurrent(source, EVENTS, "events_schema_history")).as("no history table yet").isFalse();
        try (Database db = Database.open(file)) {
            new EventStore(db, "host-a");
        }
        assertThat(CurrentSchema.isCurrent(source, EVENTS, "events_schema_history")).isTrue();

        execute(source, "UPDATE events_schema_history SET success = 0 WHERE version = '3'");
        assertThat(CurrentSchema.isCurrent(source, EVENTS, "events_schema_history")).as("a failed script").isFalse();
        execute(source, "DELETE FROM events_schema_history WHERE version = '3'");
        assertThat(CurrentSchema.isCurrent(source, EVENTS, "events_schema_history")).as("the newest script not applied").isFalse();
        execute(source, "INSERT INTO events_schema_history(installed_rank, version, description, type, script, installed_by, "
                + "execution_time, success) VALUES(99, '9', 'newer', 'SQL', 'V9__newer.sql', 'x', 0, 1)");
        assertThat(CurrentSchema.isCurrent(source, EVENTS, "events_schema_history")).as("migrated by a newer release").isFalse();
    }

    @Test
    void theNewestScriptIsFoundInAFolderAndInAJar() throws Exception {
        assertThat(CurrentSchema.newestBundled(getClass().getClassLoader(), EVENTS)).hasValue(3);
        Path jar = tmp.resolve("scripts.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // Folders have entries of their own, as in the jars Maven builds.
            for (String name : new String[] {"db/", "db/x/", "db/x/c/", "db/x/c/V2__two.sql", "db/x/c/V10__ten.sql", "db/x/c/notes.txt", "db/x/c/old/V11__nested.sql",
                    "db/x/cc/V12__other.sql"}) {
                out.putNextEntry(new JarEntry(name));
                out.write("SELECT 1;".getBytes());
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(CurrentSchema.newestBundled(loader, "db/x/c")).hasValue(10);
            assertThat(CurrentSchema.newestBundled(loader, "db/x/none")).isEmpty();
        }
    }

    private static void execute(SQLiteDataSource source, String sql) throws Exception {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}

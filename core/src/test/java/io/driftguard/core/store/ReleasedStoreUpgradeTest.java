package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.testing.ReleasedStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedStoreUpgradeTest {
    @TempDir
    Path tmp;

    @Test
    void eventsOfTheReleasedStoreAreReadAndNewOnesAdded() throws Exception {
        Path file = ReleasedStore.copyTo(tmp);
        try (Database db = Database.open(file)) {
            EventStore store = new EventStore(db, "host-a");
            List<Event> events = store.find(new EventQuery(null, null, null, 10));
            assertThat(events).extracting(Event::kind).containsExactly(EventKind.PROCESS, EventKind.REGISTRY);
            Event blocked = events.get(0);
            assertThat(blocked.time()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
            assertThat(blocked.host()).isEqualTo("host-a");
            assertThat(blocked.containerName()).isEqualTo("web-1");
            assertThat(blocked.process().path()).isEqualTo("/bin/sh");
            assertThat(blocked.process().uid()).isEqualTo(33);
            assertThat(blocked.policy()).isEqualTo("no-shells");
            assertThat(events.get(1).details()).containsEntry("tag", "127.0.0.1:5000/team/app:1");
            assertThat(store.find(new EventQuery(null, "4f1c", null, 10))).hasSize(1);

            store.accept(Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).message("upgraded").build());
            assertThat(store.find(new EventQuery(null, null, EventKind.DAEMON, 10))).hasSize(1);
            // Rows from before host ids belong to every host; new ones to the host that wrote them.
            assertThat(new EventStore(db, "host-b").find(new EventQuery(null, null, null, 10)))
                    .extracting(Event::kind).containsExactly(EventKind.PROCESS, EventKind.REGISTRY);
            assertThat(new EventStore(db, "host-b").find(new EventQuery(null, null, null, 10, true))).hasSize(3);
            // Adopted at the version the release recorded: its two steps are not run again.
            assertThat(history(db, "events")).containsExactly("BASELINE 2 adopted from schema_migrations", "SQL 3 events host id");
            assertThat(legacyComponents(db)).containsExactlyInAnyOrder("baseline", "registry");
        }
        try (Database db = Database.open(file)) {
            assertThat(new EventStore(db, "host-a").find(new EventQuery(null, null, null, 10))).hasSize(3);
        }
    }

    @Test
    void newStoreRunsEveryMigration() throws Exception {
        try (Database db = Database.open(tmp.resolve("new.db"))) {
            new EventStore(db, "host-a");
            assertThat(history(db, "events")).containsExactly("SQL 1 events", "SQL 2 events time index", "SQL 3 events host id");
        }
    }

    @Test
    void storeOfANewerReleaseIsRefused() throws Exception {
        Path file = tmp.resolve("newer.db");
        try (Database db = Database.open(file)) {
            new EventStore(db, "host-a");
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO events_schema_history(installed_rank, version, description, type, script, "
                        + "installed_by, execution_time, success) VALUES(99, '99', 'from the future', 'SQL', 'V99__future.sql', 'x', 0, 1)");
            }
        }
        try (Database db = Database.open(file)) {
            assertThatThrownBy(() -> new EventStore(db, "host-a")).isInstanceOf(java.sql.SQLException.class)
                    .hasMessageContaining("cannot migrate the events tables of " + file)
                    .hasMessageContaining("not resolved locally");
        }
    }

    static List<String> history(Database db, String component) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, description, type FROM " + component
                     + "_schema_history ORDER BY installed_rank")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(3) + " " + rs.getString(1) + " " + rs.getString(2));
            }
            return rows;
        }
    }

    private static List<String> legacyComponents(Database db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT component FROM schema_migrations")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}

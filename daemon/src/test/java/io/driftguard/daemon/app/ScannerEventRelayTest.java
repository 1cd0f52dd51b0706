package io.driftguard.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay on a real SQLite store, polled by hand; the scanner's writes are made as driftguard-scan makes them. */
class ScannerEventRelayTest {
    @TempDir
    Path tmp;

    private final List<Event> relayed = new CopyOnWriteArrayList<>();
    private final EventSink sink = relayed::add;

    @Test
    void theDaemonsOwnStoreIsFollowedFromItsNewestEvent() throws Exception {
        try (Database db = Database.open(tmp.resolve("state/driftguard.db"))) {
            EventStore scanner = new EventStore(db, "h");
            scanner.accept(registry("before start", Instant.now()));
            ScannerEventRelay relay = new ScannerEventRelay("test", ScannerEventRelay.localSource(scanner), List.of(sink));
            relay.poll();
            assertThat(relayed).isEmpty();
            scanner.accept(registry("after start", Instant.now()));
            new EventStore(db, "other-host").accept(registry("another host's", Instant.now()));
            scanner.accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).message("the daemon's own").build());
            relay.poll();
            relay.poll();
            assertThat(relayed).extracting(Event::message).containsExactly("after start");
        }
    }

    @Test
    void aSharedStoreDownAtStartIsOpenedLaterAndTheEventsSinceStartAreAllRelayed() throws Exception {
        try (Database db = Database.open(tmp.resolve("shared/driftguard.db"))) {
            EventStore scanner = new EventStore(db, "h");
            Instant started = Instant.now();
            scanner.accept(registry("history", started.minusSeconds(60)));
            AtomicBoolean down = new AtomicBoolean(true);
            ScannerEventRelay.Source shared = ScannerEventRelay.sharedSource(db, "h", started);
            ScannerEventRelay relay = new ScannerEventRelay("test", () -> {
                if (down.get()) {
                    throw new SQLException("Connection refused");
                }
                return shared.open();
            }, List.of(sink));
            relay.poll();
            relay.poll();
            scanner.accept(registry("recorded once it answered", started.plusMillis(1)));
            down.set(false);
            relay.poll();
            assertThat(relayed).extracting(Event::message).containsExactly("recorded once it answered");
        }
    }

    @Test
    void aPollThatFailsIsTriedAgainFromTheSamePlace() throws Exception {
        try (Database db = Database.open(tmp.resolve("shared/driftguard.db"))) {
            EventStore scanner = new EventStore(db, "h");
            ScannerEventRelay relay = new ScannerEventRelay("test", ScannerEventRelay.sharedSource(db, "h", Instant.now()), List.of(sink));
            relay.poll();
            scanner.accept(registry("first", Instant.now()));
            execute(db, "ALTER TABLE events RENAME TO events_away");
            relay.poll();
            assertThat(relayed).isEmpty();
            execute(db, "ALTER TABLE events_away RENAME TO events");
            scanner.accept(registry("second", Instant.now()));
            relay.poll();
            relay.poll();
            assertThat(relayed).extracting(Event::message).containsExactly("first", "second");
        }
    }

    private static void execute(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Event registry(String message, Instant time) {
        return Event.builder(EventKind.REGISTRY, EventAction.ALERTED, Severity.HIGH).time(time).detail("finding", "drift")
                .message(message).build();
    }
}

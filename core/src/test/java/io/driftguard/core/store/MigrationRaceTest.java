package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component migrating its tables while another connection keeps writing to the same SQLite file (the daemon's start-up). */
class MigrationRaceTest {
    @TempDir
    Path tmp;

    @Test
    void migrationSurvivesWritesFromAnotherConnection() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path file = tmp.resolve("round" + round + "/driftguard.db");
            try (Database events = Database.open(file)) {
                EventStore store = new EventStore(events, "host-a");
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicReference<Exception> writerError = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    while (writing.get()) {
                        try {
                            store.accept(Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).message("tick").build());
                        } catch (Exception e) {
                            writerError.set(e);
                            return;
                        }
                    }
                });
                writer.start();
                try (Database other = Database.open(file)) {
                    other.migrate("busytest");
                } finally {
                    writing.set(false);
                    writer.join();
                }
                assertThat(writerError.get()).isNull();
            }
        }
    }
}

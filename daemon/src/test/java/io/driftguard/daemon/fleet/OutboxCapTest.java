package io.driftguard.daemon.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox of a host whose shared store does not answer (nothing listens on its port): past
 * [store] outbox_max_events it queues nothing more, and the link reports every event it dropped,
 * with the count, in an event (which the metrics count as reason outbox_full).
 */
class OutboxCapTest {
    @TempDir
    Path tmp;

    @Test
    void eventsOverTheCapAreDroppedAndEveryOneIsCountedInAnEvent() throws Exception {
        Path cache = tmp.resolve("driftguard.db");
        StoreSettings.Postgres unreachable = new StoreSettings.Postgres("127.0.0.1", 1, "fleet", "driftguard", Optional.empty(),
                Optional.empty(), "disable", Optional.empty(), cache, 1000);
        List<Event> reported = new CopyOnWriteArrayList<>();
        try (Database local = Database.open(cache)) {
            Fleet fleet = Fleet.open(unreachable, "host-a", local, Retention.DEFAULT, reported::add);
            try {
                for (int i = 0; i < 1007; i++) {
                    fleet.outbox().accept(event("event " + i));
                }
                assertThat(fleet.outbox().size()).isEqualTo(1000);
                assertThat(fleet.outbox().oldest(1)).singleElement().satisfies(q -> assertThat(q.row().json()).contains("event 0"));
                fleet.start(() -> new Fleet.Counts(0, 0), null);
                Poll.waitFor(() -> reported.stream().anyMatch(e -> "full".equals(e.details().get("outbox"))));
                Event report = reported.stream().filter(e -> "full".equals(e.details().get("outbox"))).findFirst().orElseThrow();
                assertThat(report.details()).containsEntry("dropped", "7");
                assertThat(report.message()).startsWith("7 events were not queued for the shared store postgresql://127.0.0.1:1/fleet")
                        .contains("outbox_max_events = 1000");
                assertThat(fleet.status()).containsEntry("dropped_events", 7L).containsEntry("queued_events", 1000L)
                        .containsEntry("outbox_max_events", 1000L);
            } finally {
                fleet.close();
            }
        }
        try (Database local = Database.open(cache)) {
            // Kept across restarts, and counted again from the file.
            assertThat(new Outbox(local, 1000).size()).isEqualTo(1000);
        }
    }

    private static Event event(String message) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).message(message).build();
    }

    /** Polls without the IT helpers. */
    private static final class Poll {
        static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + 15_000_000_000L;
            while (!condition.getAsBoolean()) {
                assertThat(System.nanoTime()).as("the drop report in time").isLessThan(end);
                Thread.sleep(100);
            }
        }
    }
}

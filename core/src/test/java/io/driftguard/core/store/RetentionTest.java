package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void sizesReadWithTheirUnits() {
        assertThat(Retention.bytes("500MB")).contains(500_000_000L);
        assertThat(Retention.bytes("2GiB")).contains(2L << 30);
        assertThat(Retention.bytes("1048576")).contains(1L << 20);
        assertThat(Retention.bytes("lots")).isEqualTo(Optional.empty());
    }

    @Test
    void pruneRemovesEventsPastTheAgeAndTheOldestOverTheSize() throws Exception {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        try (Database db = Database.open(tmp.resolve("driftguard.db"))) {
            EventStore store = new EventStore(db, "test-host");
            for (int i = 0; i < 10; i++) {
                store.accept(event(now.minus(Duration.ofDays(40)), "old " + i));
            }
            String padding = "x".repeat(1000);
            for (int i = 0; i < 5000; i++) {
                store.accept(event(now.minusSeconds(5000 - i), "new " + i + padding));
            }
            long before = store.usedBytes();
            EventStore.Pruned pruned = store.prune(new Retention(Duration.ofDays(30), before / 2), now);
            assertThat(pruned.byAge()).isEqualTo(10);
            assertThat(pruned.bySize()).isGreaterThan(0);
            assertThat(store.usedBytes()).isLessThanOrEqualTo(before / 2);
            assertThat(store.find(new EventQuery(null, null, null, 1)).get(0).message()).startsWith("new 4999");
        }
    }

    private static Event event(Instant time, String message) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).time(time).message(message).build();
    }
}

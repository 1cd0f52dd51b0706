package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFollowerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void filtersCombineAndSeverityAndRuleAreHonouredWithTheLimit() throws Exception {
        try (Database db = Database.open(tmp.resolve("s/driftguard.db"))) {
            EventStore store = new EventStore(db, "h");
            for (int i = 0; i < 10; i++) {
                store.accept(event(i % 2 == 0 ? Severity.HIGH : Severity.LOW, "r" + (i % 3), T0.plusSeconds(i)));
            }
            assertThat(store.find(query(Severity.HIGH, null, null, null, 100))).hasSize(5);
            assertThat(store.find(query(Severity.HIGH, "r0", null, null, 100))).extracting(Event::time)
                    .containsExactly(T0, T0.plusSeconds(6));
            assertThat(store.find(query(Severity.LOW, null, null, null, 2))).extracting(Event::time)
                    .containsExactly(T0.plusSeconds(7), T0.plusSeconds(9));
            assertThat(store.find(query(null, null, T0.plusSeconds(2), T0.plusSeconds(4), 100))).hasSize(2);
        }
    }

    @Test
    void followerReturnsEachNewMatchingEventOnce() throws Exception {
        try (Database db = Database.open(tmp.resolve("s/driftguard.db"))) {
            EventStore store = new EventStore(db, "h");
            store.accept(event(Severity.HIGH, "old", T0));
            EventFollower follower = new EventFollower(store, query(Severity.HIGH, null, null, null, 1), store.lastId());
            assertThat(follower.poll(T0)).isEmpty();
            store.accept(event(Severity.HIGH, "a", T0));
            store.accept(event(Severity.LOW, "b", T0));
            store.accept(event(Severity.HIGH, "c", T0));
            assertThat(follower.poll(T0.plusSeconds(1))).extracting(e -> e.event().rule()).containsExactly("a", "c");
            assertThat(follower.poll(T0.plusSeconds(2))).isEmpty();
        }
    }

    @Test
    void aTrailingFloorPrintsNothingTwice() throws Exception {
        try (Database db = Database.open(tmp.resolve("s/driftguard.db"))) {
            EventStore store = new EventStore(db, "h");
            EventFollower follower = new EventFollower(store, query(null, null, null, null, 1), 0, Duration.ofSeconds(10));
            store.accept(event(Severity.HIGH, "a", T0));
            assertThat(follower.poll(T0)).extracting(e -> e.event().rule()).containsExactly("a");
            store.accept(event(Severity.HIGH, "b", T0));
            assertThat(follower.poll(T0.plusSeconds(1))).extracting(e -> e.event().rule()).containsExactly("b");
            assertThat(follower.poll(T0.plusSeconds(20))).isEmpty();
            store.accept(event(Severity.HIGH, "c", T0));
            assertThat(follower.poll(T0.plusSeconds(21))).extracting(e -> e.event().rule()).containsExactly("c");
        }
    }

    private static EventQuery query(Severity severity, String rule, Instant since, Instant until, int limit) {
        return new EventQuery(since, until, null, null, null, severity, null, rule, limit, false);
    }

    private static Event event(Severity severity, String rule, Instant time) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, severity).time(time)
                .policy("P", rule).message("m").build();
    }
}

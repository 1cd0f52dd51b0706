package io.driftguard.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {
    private static Event event(String message) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).message(message).build();
    }

    /** A store that is full: it refuses every event. */
    private static final class FullStore implements EventSink {
        @Override
        public void accept(Event event) {
            throw new IllegalStateException("disk full");
        }
    }

    @Test
    void eventsASinkFailedToTakeAreCountedAndReportedToTheOthers() throws Exception {
        List<Event> seen = new CopyOnWriteArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher(List.of(new FullStore(), seen::add), 100);
        for (int i = 0; i < 3; i++) {
            dispatcher.publish(event("e" + i));
        }
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (seen.stream().noneMatch(e -> e.details().containsKey("sink")) && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        dispatcher.close();
        Event report = seen.stream().filter(e -> e.details().containsKey("sink")).findFirst().orElseThrow();
        assertThat(report.kind()).isEqualTo(EventKind.DAEMON);
        assertThat(report.details()).containsEntry("sink", "FullStore");
        assertThat(Long.parseLong(report.details().get("dropped"))).isBetween(1L, 3L);
        assertThat(report.message()).contains("events did not reach event sink FullStore: disk full");
        assertThat(dispatcher.failed()).isGreaterThanOrEqualTo(3);
    }
}

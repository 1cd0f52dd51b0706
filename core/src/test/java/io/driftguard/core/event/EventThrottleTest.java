package io.driftguard.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventThrottleTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Event blocked(String container, String path, Instant time) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).time(time)
                .container(container, "c-" + container, "img", "sha256:x").policy("P", "r")
                .process(new ProcessInfo(1, path, null, 0)).message("Blocked exec of " + path).build();
    }

    @Test
    void identicalEventsInAWindowBecomeOneWithACountAndFirstAndLastTime() {
        EventThrottle throttle = new EventThrottle(Duration.ofSeconds(10), 100);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            out.addAll(throttle.offer(blocked("a", "/bin/sh", T0.plusMillis(i / 4))));
        }
        assertThat(out).hasSize(1);
        out.addAll(throttle.due(T0.plusSeconds(10)));
        assertThat(out).hasSize(2);
        Event aggregate = out.get(1);
        assertThat(aggregate.repeats()).isEqualTo(new Repeats(19_999, T0, T0.plusMillis(19_999 / 4)));
        assertThat(EventJson.fromJson(EventJson.toJson(aggregate))).isEqualTo(aggregate);
        assertThat(EventJson.toJson(aggregate)).contains("\"count\":19999", "\"first_time\":\"2026-12-01T10:00:00Z\"");
    }

    @Test
    void differentEventsOverTheContainersBudgetAreCountedIntoOneOverflowEvent() {
        EventThrottle throttle = new EventThrottle(Duration.ofSeconds(10), 100);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            out.addAll(throttle.offer(blocked("a", "/tmp/x" + i, T0.plusMillis(i))));
        }
        out.addAll(throttle.offer(blocked("b", "/bin/sh", T0.plusMillis(5))));
        assertThat(out).hasSize(101).as("the other container keeps its own budget").anyMatch(e -> e.containerId().equals("b"));
        List<Event> due = throttle.due(T0.plusSeconds(11));
        assertThat(due).hasSize(1);
        assertThat(due.get(0).kind()).isEqualTo(EventKind.DAEMON);
        assertThat(due.get(0).repeats().count()).isEqualTo(900);
        assertThat(due.get(0).message()).startsWith("900 events of container c-a were not recorded one by one");
        assertThat(throttle.flush()).isEmpty();
    }

    @Test
    void eventsWithoutAContainerPassUntouched() {
        EventThrottle throttle = new EventThrottle(Duration.ofSeconds(10), 1);
        Event daemon = Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).time(T0).message("x").build();
        assertThat(throttle.offer(daemon)).containsExactly(daemon);
        assertThat(throttle.offer(daemon)).containsExactly(daemon);
    }
}

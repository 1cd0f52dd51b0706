package io.driftguard.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    static Event sample() {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH)
                .time(Instant.parse("2026-11-25T10:30:00Z"))
                .host("h1")
                .container("abc123", "web-1", "my-app:1.2", "sha256:00")
                .policy("BlockShellExecution", "r1")
                .process(new ProcessInfo(42, "/bin/bash", List.of("bash", "-c", "x"), 33))
                .detail("matched", "name bash")
                .message("Blocked exec of /bin/bash in container web-1 (image my-app:1.2) by policy BlockShellExecution")
                .build();
    }

    @Test
    void roundTripsWithSnakeCaseFields() {
        String json = EventJson.toJson(sample());
        assertThat(json).startsWith("{\"time\":\"2026-11-25T10:30:00Z\",\"host\":\"h1\",\"kind\":\"process\",\"action\":\"blocked\"")
                .contains("\"container_name\":\"web-1\"", "\"process\":{\"pid\":42,\"path\":\"/bin/bash\"", "\"uid\":33");
        assertThat(EventJson.fromJson(json)).isEqualTo(sample());
    }

    @Test
    void leavesOutWhatIsNotKnown() {
        Event event = Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).message("started").build();
        assertThat(EventJson.toJson(event)).doesNotContain("container_id", "process", "details");
    }
}

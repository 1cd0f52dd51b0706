package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FalcoPayloadTest {
    @Test
    void hasTheFieldsFalcosidekickReads() throws Exception {
        Event event = Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH)
                .time(Instant.parse("2026-12-01T23:05:05.5Z")).host("h1")
                .container("0123456789ab", "web-1", "busybox:1", null).policy("NoShells", "no-shells")
                .process(new ProcessInfo(42, "/bin/sh", List.of("sh", "-c", "id"), 33))
                .message("Blocked exec of /bin/sh").build();
        JsonNode json = new ObjectMapper().readTree(FalcoPayload.toJson(event));
        assertThat(json.get("output").asText()).isEqualTo("Blocked exec of /bin/sh");
        assertThat(json.get("priority").asText()).isEqualTo("Error");
        assertThat(json.get("rule").asText()).isEqualTo("no-shells");
        assertThat(json.get("time").asText()).isEqualTo("2026-12-01T23:05:05.500Z");
        assertThat(json.get("source").asText()).isEqualTo("driftguard");
        assertThat(json.get("hostname").asText()).isEqualTo("h1");
        assertThat(json.get("tags")).extracting(JsonNode::asText).containsExactly("driftguard", "process", "blocked", "NoShells");
        JsonNode fields = json.get("output_fields");
        assertThat(fields.get("container.name").asText()).isEqualTo("web-1");
        assertThat(fields.get("proc.exepath").asText()).isEqualTo("/bin/sh");
        assertThat(fields.get("proc.cmdline").asText()).isEqualTo("sh -c id");
        assertThat(fields.get("user.uid").asInt()).isEqualTo(33);
        assertThat(fields.get("driftguard.action").asText()).isEqualTo("blocked");
    }
}

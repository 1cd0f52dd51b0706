package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDetailsTest {
    @Test
    void passwdNamesTheFirstUserOfEachUid() {
        Map<Integer, String> names = ContainerUsers.parse("""
                root:x:0:0:root:/root:/bin/sh
                www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
                alias:x:33:33::/:/bin/false
                broken line
                :x:7:7::/:/bin/false
                nobody:x:notanumber:1::/:/bin/false
                """);
        assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of(0, "root", 33, "www-data"));
    }

    @Test
    void commandLinesAreBounded() {
        assertThat(EventDetails.cmdline(List.of("sh", "-c", "echo hi"))).isEqualTo("sh -c echo hi");
        assertThat(EventDetails.cmdline(List.of())).isNull();
        assertThat(EventDetails.cmdline(List.of("x".repeat(5000)))).hasSize(EventDetails.MAX_CMDLINE + 3).endsWith("...");
    }

    @Test
    void theStarterIsNamedOnce() {
        ProcessInfo process = new ProcessInfo(42, "/bin/bash", null, 33);
        assertThat(EventDetails.startedBy(process.withDetails("www-data", null, null)))
                .isEqualTo("started by user 'www-data' (uid 33)");
        assertThat(EventDetails.startedBy(process)).isEqualTo("started by uid 33");
    }

    @Test
    void theNewProcessFieldsSurviveTheStore() {
        ProcessInfo process = new ProcessInfo(42, "/bin/bash", null, 33).withParentPid(7)
                .withDetails("www-data", new ProcessInfo.Parent(7, "sh"), "sh -c bash");
        Event event = Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).process(process).message("m").build();
        String json = EventJson.toJson(event);
        assertThat(json).contains("\"uid\":33,\"user\":\"www-data\",\"parent\":{\"pid\":7,\"comm\":\"sh\"},\"cmdline\":\"sh -c bash\"");
        assertThat(EventJson.fromJson(json).process()).isEqualTo(process);
        assertThat(event.toBuilder().detail("mode", "audit").build().details()).containsEntry("mode", "audit");
    }
}

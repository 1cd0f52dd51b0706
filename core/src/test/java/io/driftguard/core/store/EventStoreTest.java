package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
    @TempDir
    Path tmp;

    @Test
    void eachRowCarriesTheHostIdOfTheHostThatRecordedItWhateverItsHostName() throws Exception {
        try (Database db = Database.open(tmp.resolve("hosts.db"))) {
            EventStore a = new EventStore(db, "fleet-a");
            EventStore b = new EventStore(db, "fleet-b");
            // Two daemons on one machine: the same host name, told apart by their host ids.
            a.accept(event("web-1", "abcdef", EventKind.PROCESS, "2026-11-25T10:00:00Z"));
            b.accept(event("web-2", "123456", EventKind.PROCESS, "2026-11-25T10:00:01Z"));
            assertThat(a.stored(new EventQuery(null, null, null, 10, true), Long.MAX_VALUE))
                    .extracting(StoredEvent::hostId).containsExactly("fleet-a", "fleet-b");
            assertThat(a.stored(new EventQuery(null, null, null, 10, true), Long.MAX_VALUE))
                    .extracting(e -> e.event().host()).containsOnly(event("x", "1", EventKind.PROCESS, "2026-11-25T10:00:00Z").host());
            assertThat(b.stored(new EventQuery(null, null, null, 10), Long.MAX_VALUE)).extracting(StoredEvent::hostId)
                    .containsExactly("fleet-b");
            assertThat(io.driftguard.core.event.EventJson.toJson(a.stored(new EventQuery(null, "web-2", null, 10, true),
                    Long.MAX_VALUE).get(0).event(), "fleet-b")).contains("\"host_id\":\"fleet-b\"");
        }
    }

    @Test
    void stateIsPrivateAndQueriesFilter() throws Exception {
        Path file = tmp.resolve("state/sub/driftguard.db");
        try (Database db = Database.open(file)) {
            EventStore store = new EventStore(db, "host-a");
            store.accept(event("web-1", "abcdef", EventKind.PROCESS, "2026-11-25T10:00:00Z"));
            store.accept(event("db-1", "123456", EventKind.DAEMON, "2026-11-25T11:00:00Z"));
            assertThat(store.find(new EventQuery(null, "web-1", null, 10))).extracting(Event::containerName).containsExactly("web-1");
            assertThat(store.find(new EventQuery(null, "1234", null, 10))).extracting(Event::containerName).containsExactly("db-1");
            assertThat(store.find(new EventQuery(Instant.parse("2026-11-25T10:30:00Z"), null, null, 10))).hasSize(1);
            assertThat(store.find(new EventQuery(null, null, EventKind.PROCESS, 10))).hasSize(1);
            assertThat(store.find(new EventQuery(null, null, null, 1))).extracting(Event::containerName).containsExactly("db-1");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("state")))).isEqualTo("rwx------");
        // Reopening applies no migration twice.
        try (Database db = Database.open(file)) {
            assertThat(new EventStore(db, "host-a").find(new EventQuery(null, null, null, 10))).hasSize(2);
        }
    }

    @Test
    void aBurstIsStoredWholeInOrder() throws Exception {
        try (Database db = Database.open(tmp.resolve("burst.db"))) {
            EventStore store = new EventStore(db, "host-a");
            List<Event> burst = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                burst.add(event("c-" + i, "id" + i, EventKind.PROCESS, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i).toString()));
            }
            store.acceptAll(burst);
            assertThat(store.find(new EventQuery(null, null, null, 2000))).extracting(Event::containerName)
                    .containsExactlyElementsOf(burst.stream().map(Event::containerName).toList());
        }
    }

    @Test
    void theDispatcherHandsOnEveryEventOfABurstInOrder() throws Exception {
        List<String> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        EventSink sink = event -> delivered.add(event.containerName());
        EventDispatcher events = new EventDispatcher(List.of(sink), 2000);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(events.publish(event("c-" + i, "id" + i, EventKind.PROCESS, "2026-11-25T10:00:00Z"))).isTrue();
            sent.add("c-" + i);
        }
        events.close();
        assertThat(delivered).containsExactlyElementsOf(sent);
        assertThat(events.failed()).isZero();
    }

    private static Event event(String name, String id, EventKind kind, String time) {
        return Event.builder(kind, EventAction.BLOCKED, Severity.HIGH).time(Instant.parse(time))
                .container(id, name, "img", null).message("m " + name).build();
    }
}

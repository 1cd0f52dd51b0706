package io.driftguard.scan.cli;

import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.JsonLinesSink;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.systemd.JournaldSink;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Where the scanner's findings go as events. */
final class EventSinks {
    private EventSinks() {
    }

    /**
     * The store and journald; without journald, stdout as JSON lines, unless stdout carries a
     * {@code --json} report.
     */
    static List<EventSink> open(Database database, String hostId, boolean jsonOnStdout) throws Exception {
        List<EventSink> sinks = new ArrayList<>();
        sinks.add(new EventStore(database, hostId));
        if (JournaldSink.available()) {
            sinks.add(new JournaldSink(JournaldSink.SOCKET));
        } else if (!jsonOnStdout) {
            sinks.add(new JsonLinesSink(new PrintStream(System.out, true, StandardCharsets.UTF_8)));
        }
        return sinks;
    }
}

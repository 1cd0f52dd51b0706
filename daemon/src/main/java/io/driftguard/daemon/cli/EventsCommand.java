package io.driftguard.daemon.cli;

import io.driftguard.core.text.Printable;
import io.driftguard.core.config.Durations;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventQuery;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.app.DaemonConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code driftguard events}: reads the event store. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show recorded events, oldest first: a table, or JSON lines with --json.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "WHEN", description = "A duration back from now (10m, 24h) or an RFC 3339 time.")
    String since;

    @Option(names = "--container", paramLabel = "NAME|ID", description = "Only events of this container (name or id prefix).")
    String container;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only this kind: process, file, network, syscall, drift, admission, registry, daemon.")
    String kind;

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many, the newest (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--all-hosts", description = "Events of every host that shares the store, not only this one's.")
    boolean allHosts;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DaemonConfig settings = config.load();
        Instant from = null;
        if (since != null) {
            Optional<Duration> ago = Durations.parse(since);
            try {
                from = ago.isPresent() ? Instant.now().minus(ago.get()) : Instant.parse(since);
            } catch (DateTimeParseException e) {
                System.err.println("--since: '" + since + "' is neither a duration (10m) nor an RFC 3339 time");
                return 2;
            }
        }
        EventKind kindFilter = null;
        if (kind != null) {
            try {
                kindFilter = EventKind.fromWire(kind);
            } catch (IllegalArgumentException e) {
                System.err.println("--kind: unknown kind '" + kind + "'");
                return 2;
            }
        }
        if (settings.store() instanceof StoreSettings.Sqlite sqlite && !Files.exists(sqlite.file())) {
            System.err.println("no events: the store " + sqlite.file() + " does not exist yet");
            return 0;
        }
        try (Database database = Database.open(settings.store())) {
            List<Event> events = new EventStore(database, settings.hostId()).find(new EventQuery(from, container, kindFilter, limit, allHosts));
            for (Event event : events) {
                System.out.println(json ? EventJson.toJson(event)
                        : Printable.escape((allHosts ? String.format("%-16s ", event.host()) : "") + row(event)));
            }
        }
        return 0;
    }

    private static String row(Event e) {
        return String.format("%-24s %-8s %-8s %-20s %-24s %s", e.time().toString(), e.kind().wire(), e.action().wire(),
                e.containerName() == null ? "-" : e.containerName(), e.policy() == null ? "-" : e.policy(), e.message());
    }
}

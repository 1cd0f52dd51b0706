package io.driftguard.daemon.cli;

import io.driftguard.core.event.EventJson;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventFollower;
import io.driftguard.core.store.EventQuery;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.store.StoredEvent;
import io.driftguard.daemon.app.DaemonConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code driftguard events}: reads the event store, or follows it as events are recorded. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Show recorded events, oldest first: a table, or JSON lines with --json.",
                "With --follow, print each event as it is recorded until interrupted (or until --until);"
                        + " only new ones, unless --since asks for earlier ones too. Filters combine (AND).",
                "On a terminal the table fits its width (names and messages cut with ...) and severities are"
                        + " coloured, unless NO_COLOR is set; --wide, a pipe or a file get every cell in full.",
                "Exit code 0; 2 for a bad option value (an unknown --kind lists the valid ones)."})
final class EventsCommand implements Callable<Integer> {
    private static final long POLL_MS_SQLITE = 300;
    private static final long POLL_MS_SHARED = 1000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = {"-f", "--follow"}, description = "Keep printing events as they are recorded.")
    boolean follow;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Events from then on: a duration back from now (10m, 2h, 7d) or an ISO time"
                    + " (2026-12-01T23:04:05 local, ...Z or +01:00 for another zone, 2026-12-01).")
    String since;

    @Option(names = "--until", paramLabel = "WHEN",
            description = "Events before then (as --since); with --follow, stop at that time.")
    String until;

    @Option(names = "--container", paramLabel = "NAME|ID", description = "Only events of this container (name or id prefix).")
    String container;

    @Option(names = "--kind", paramLabel = "KIND", completionCandidates = WireValue.Kind.class,
            description = "Only this kind: ${COMPLETION-CANDIDATES}.")
    String kind;

    @Option(names = "--action", paramLabel = "ACTION", completionCandidates = WireValue.Action.class,
            description = "Only this action: ${COMPLETION-CANDIDATES}.")
    String action;

    @Option(names = "--severity", paramLabel = "LEVEL", completionCandidates = WireValue.Level.class,
            description = "Only this severity: ${COMPLETION-CANDIDATES}.")
    String severity;

    @Option(names = "--policy", paramLabel = "NAME", description = "Only events of this policy.")
    String policy;

    @Option(names = "--rule", paramLabel = "NAME", description = "Only events of this rule (as events name it: my-rule, or POLICY/process[0]).")
    String rule;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most this many, the newest (default ${DEFAULT-VALUE}); with --follow, of the earlier ones --since asks for.")
    int limit;

    @Option(names = "--all-hosts", description = "Events of every host that shares the store, not only this one's.")
    boolean allHosts;

    @Option(names = "--json", description = "One JSON object per line, every field.")
    boolean json;

    @Option(names = "--wide", description = "Print every cell in full, even on a terminal (as on a pipe).")
    boolean wide;

    private Instant from;
    private Instant to;

    @Override
    public Integer call() throws Exception {
        EventQuery query;
        try {
            query = query();
        } catch (UsageError e) {
            spec.commandLine().getErr().println("driftguard events: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        DaemonConfig settings = config.load();
        PrintWriter out = spec.commandLine().getOut();
        if (!follow && settings.store() instanceof StoreSettings.Sqlite sqlite && !Files.exists(sqlite.file())) {
            spec.commandLine().getErr().println("no events: the store " + sqlite.file() + " does not exist yet");
            return 0;
        }
        try (Database database = Database.open(settings.store())) {
            EventStore store = new EventStore(database, settings.hostId());
            long start = store.lastId();
            List<StoredEvent> earlier = follow && from == null ? List.of() : store.stored(query, start);
            EventRows rows = new EventRows(allHosts, Terminal.detect(wide));
            Table table = json ? null : rows.table(follow ? List.of() : earlier);
            if (table != null && (follow || !earlier.isEmpty())) {
                out.println(table.header());
            }
            print(out, table, rows, earlier);
            if (follow) {
                follow(out, table, rows, new EventFollower(store, query, start),
                        settings.store() instanceof StoreSettings.Sqlite ? POLL_MS_SQLITE : POLL_MS_SHARED);
            }
        }
        return 0;
    }

    private void follow(PrintWriter out, Table table, EventRows rows, EventFollower follower, long pollMs)
            throws Exception {
        while (to == null || Instant.now().isBefore(to)) {
            print(out, table, rows, follower.poll(Instant.now()));
            if (out.checkError()) {
                return; // the reader went away (a closed pipe): nothing more to print to
            }
            Thread.sleep(pollMs);
        }
    }

    /** The filters as a query; a bad value is a usage error naming its option (checked before the config is read). */
    private EventQuery query() {
        if (limit <= 0) {
            throw new UsageError("--limit: must be at least 1, not " + limit);
        }
        from = since == null ? null : UsageError.of("--since", () -> new When().convert(since));
        to = until == null ? null : UsageError.of("--until", () -> new When().convert(until));
        if (from != null && to != null && !from.isBefore(to)) {
            throw new UsageError("--since must be before --until");
        }
        return new EventQuery(from, to, container,
                kind == null ? null : UsageError.of("--kind", () -> new WireValue.Kind().convert(kind)),
                action == null ? null : UsageError.of("--action", () -> new WireValue.Action().convert(action)),
                severity == null ? null : UsageError.of("--severity", () -> new WireValue.Level().convert(severity)),
                policy, rule, limit, allHosts);
    }

    private void print(PrintWriter out, Table table, EventRows rows, List<StoredEvent> events) {
        for (StoredEvent event : events) {
            out.println(table == null ? EventJson.toJson(event.event(), event.hostId()) : table.row(rows.cells(event)));
        }
        out.flush();
    }
}

package io.driftguard.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftguard events} against a real SQLite store: filters, JSON, usage errors, --follow. */
class EventsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path config;

    @BeforeEach
    void config() throws Exception {
        config = tmp.resolve("driftguard.toml");
        Files.writeString(config, """
                [store]
                path = "state/driftguard.db"
                [daemon]
                host_id = "h1"
                """);
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private void record(Event... events) throws Exception {
        try (Database db = Database.open(tmp.resolve("state/driftguard.db"))) {
            EventStore store = new EventStore(db, "h1");
            for (Event e : events) {
                store.accept(e);
            }
        }
    }

    private static Event event(EventKind kind, EventAction action, Severity severity, String container, String policy,
                               String rule, Instant time) {
        return Event.builder(kind, action, severity).time(time).container("abc123" + container, container, "img", null)
                .policy(policy, rule).message(action.wire() + " in " + container + "\u001b[31m").build();
    }

    @Test
    void filtersCombineAndJsonLinesParse() throws Exception {
        Instant now = Instant.now();
        record(event(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH, "web-1", "Shells", "no-sh", now.minusSeconds(7200)),
                event(EventKind.PROCESS, EventAction.ALERTED, Severity.MEDIUM, "web-1", "Shells", "no-sh", now.minusSeconds(60)),
                event(EventKind.NETWORK, EventAction.BLOCKED, Severity.HIGH, "db-1", "Egress", "imds", now.minusSeconds(30)),
                event(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH, "db-1", "Shells", "no-bash", now.minusSeconds(10)));
        assertThat(jsonLines("--kind", "process", "--action", "blocked")).extracting(e -> e.path("container_name").asText())
                .containsExactly("web-1", "db-1");
        assertThat(jsonLines("--severity", "high", "--since", "1h")).extracting(e -> e.path("rule").asText())
                .containsExactly("imds", "no-bash");
        assertThat(jsonLines("--policy", "Shells", "--rule", "no-sh", "--until", "5m")).hasSize(1);
        assertThat(jsonLines("--container", "abc123db", "--kind", "network")).hasSize(1);
        assertThat(jsonLines("--severity", "medium", "--container", "db-1")).isEmpty();

        Run table = run("events", "--container", "web-1");
        assertThat(table.exit()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("SEVERITY", "KIND", "ACTION", "CONTAINER", "POLICY", "MESSAGE");
        assertThat(lines.get(1)).matches("\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d high +process +blocked +web-1 +Shells +blocked in web-1\\\\x1b\\[31m");
    }

    private List<JsonNode> jsonLines(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("events", "--json"));
        args.addAll(List.of(filters));
        Run run = run(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    @Test
    void badValuesAreOneLineUsageErrors() throws Exception {
        record(event(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH, "web-1", "P", "r", Instant.now()));
        Run kind = run("events", "--kind", "proces");
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err()).contains("unknown kind 'proces'; valid: process, file, network, syscall, drift, admission, registry, daemon");
        assertThat(run("events", "--action", "nuked").err()).contains("valid: blocked, killed, alerted, isolated, released, stopped, restarted, info");
        assertThat(run("events", "--severity", "urgent").err()).contains("valid: critical, high, medium, low, info");
        Run limit = run("events", "--limit", "0");
        assertThat(limit.exit()).isEqualTo(2);
        assertThat(limit.err()).contains("--limit: must be at least 1, not 0");
        assertThat(run("events", "--limit", "-3").exit()).isEqualTo(2);
        Run since = run("events", "--since", "yesterday");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err()).contains("'yesterday' is neither a duration");
        assertThat(kind.err() + limit.err() + since.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void followPrintsEventsRecordedAfterItStarted() throws Exception {
        record(event(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH, "old-1", "P", "r", Instant.now()));
        String until = Instant.now().plusSeconds(3).toString();
        CompletableFuture<Run> follow = CompletableFuture.supplyAsync(() -> run("events", "-f", "--json", "--kind", "process", "--until", until));
        Thread.sleep(1500);
        record(event(EventKind.DAEMON, EventAction.INFO, Severity.INFO, "new-1", "P", "r", Instant.now()),
                event(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH, "new-2", "P", "r", Instant.now()));
        Run result = follow.get(Duration.ofSeconds(20).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out().lines().map(l -> {
            try {
                return JSON.readTree(l).path("container_name").asText();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList()).containsExactly("new-2");
    }
}

package io.driftguard.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.StoredEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TableTest {
    private static final List<Table.Column> COLUMNS = List.of(new Table.Column("NAME", 10, s -> "<" + s + ">"),
            new Table.Column("MESSAGE", Integer.MAX_VALUE));
    private static final List<List<String>> ROWS = List.of(List.of("a-very-long-container-name", "x".repeat(200)),
            List.of("web\n1", "short"));

    @Test
    void aTerminalGetsRowsCutToItsWidth() {
        Table table = new Table(COLUMNS, new Terminal(40, false), ROWS);
        List<String> lines = table.lines(ROWS);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        assertThat(lines.get(0)).isEqualTo("NAME       MESSAGE");
        assertThat(lines.get(1)).startsWith("a-very-... xxx").endsWith("...");
        assertThat(lines.get(2)).isEqualTo("web\\x0a1   short");
    }

    @Test
    void aPipeGetsEveryCellInFull() {
        List<String> lines = new Table(COLUMNS, new Terminal(0, false), ROWS).lines(ROWS);
        assertThat(lines.get(1)).isEqualTo("a-very-long-container-name " + "x".repeat(200));
        assertThat(lines.get(2)).startsWith("web\\x0a1" + " ".repeat(19) + "short");
    }

    @Test
    void colourOnlyWhereTheTerminalTakesIt() {
        assertThat(new Table(COLUMNS, new Terminal(80, true), ROWS).row(List.of("n", "m"))).startsWith("<n   ");
        assertThat(new Table(COLUMNS, new Terminal(80, true), ROWS).header()).startsWith("NAME");
        assertThat(Terminal.of(true, false, Map.of("NO_COLOR", "1"), () -> 100)).isEqualTo(new Terminal(100, false));
        assertThat(Terminal.of(true, false, Map.of("COLUMNS", "90"), () -> 100)).isEqualTo(new Terminal(90, true));
        assertThat(Terminal.of(true, false, Map.of(), () -> 0)).isEqualTo(new Terminal(80, true));
        assertThat(Terminal.of(true, true, Map.of(), () -> 0)).isEqualTo(new Terminal(0, true));
        assertThat(Terminal.of(false, false, Map.of("TERM", "xterm"), () -> 100)).isEqualTo(new Terminal(0, false));
    }

    @Test
    void whenTakesDurationsAndIsoTimes() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        ZoneId zone = ZoneId.of("Europe/Berlin");
        assertThat(When.parse("10m", now, zone)).isEqualTo(Instant.parse("2026-12-01T11:50:00Z"));
        assertThat(When.parse("2026-12-01T10:00:00Z", now, zone)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(When.parse("2026-12-01T10:00:00+02:00", now, zone)).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(When.parse("2026-12-01 10:00", now, zone)).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(When.parse("2026-12-01", now, zone)).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> When.parse("soon", now, zone))
                .isInstanceOf(TypeConversionException.class);
    }

    @Test
    void theHostColumnOfEveryHostsEventsIsTheRowsHostIdNotTheHostName() {
        Event event = Event.builder(EventKind.DAEMON,
                EventAction.INFO, Severity.INFO).host("same-machine")
                .message("driftguard started").build();
        EventRows rows = new EventRows(true, new Terminal(0, false));
        assertThat(rows.cells(new StoredEvent("fleet-b", event))).first().isEqualTo("fleet-b");
        assertThat(rows.table(List.of(new StoredEvent("fleet-b", event))).header()).startsWith("HOST");
        assertThat(new EventRows(false, new Terminal(0, false)).cells(new StoredEvent("fleet-b", event)))
                .doesNotContain("fleet-b", "same-machine");
    }
}

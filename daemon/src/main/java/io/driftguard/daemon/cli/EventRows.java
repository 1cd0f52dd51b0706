package io.driftguard.daemon.cli;

import io.driftguard.core.event.Event;
import io.driftguard.core.store.StoredEvent;
import io.driftguard.core.text.Ansi;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Events as table rows: a short local time, severity (coloured on a terminal), kind, action,
 * container, policy and message; on a terminal narrower than 100 (120) columns without kind (and policy). The exact time and every other field are in {@code --json}.
 */
final class EventRows {
    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** Kinds and policy names are in the message too: their columns are left out where the width is short. */
    private static final int KIND_FROM_WIDTH = 100;
    private static final int POLICY_FROM_WIDTH = 120;

    private final boolean hosts;
    private final boolean kindColumn;
    private final boolean policyColumn;
    private final Terminal terminal;

    /** Rows for {@code terminal}; {@code hosts} adds a host column (events of every host): the row's [daemon] host_id. */
    EventRows(boolean hosts, Terminal terminal) {
        this.hosts = hosts;
        this.terminal = terminal;
        this.kindColumn = !terminal.fits() || terminal.width() >= KIND_FROM_WIDTH;
        this.policyColumn = !terminal.fits() || terminal.width() >= POLICY_FROM_WIDTH;
    }

    /** The table, its widths fitted to {@code sample} (none: each column at its cap). */
    Table table(List<StoredEvent> sample) {
        List<Table.Column> columns = new ArrayList<>();
        if (hosts) {
            columns.add(new Table.Column("HOST", 16));
        }
        columns.add(new Table.Column("TIME", 14));
        columns.add(new Table.Column("SEVERITY", 8, Ansi::severity));
        if (kindColumn) {
            columns.add(new Table.Column("KIND", 9));
        }
        columns.add(new Table.Column("ACTION", 8));
        columns.add(new Table.Column("CONTAINER", 16));
        if (policyColumn) {
            columns.add(new Table.Column("POLICY", 24));
        }
        columns.add(new Table.Column("MESSAGE", Integer.MAX_VALUE));
        return new Table(columns, terminal, sample.stream().map(this::cells).toList());
    }

    List<String> cells(StoredEvent stored) {
        Event e = stored.event();
        List<String> cells = new ArrayList<>();
        if (hosts) {
            // The host id, which tells apart hosts that share a host name (clones, two daemons on one machine).
            cells.add(stored.hostId());
        }
        cells.add(SHORT_TIME.format(e.time()));
        cells.add(e.severity().wire());
        if (kindColumn) {
            cells.add(e.kind().wire());
        }
        cells.add(e.action().wire());
        cells.add(e.containerName());
        if (policyColumn) {
            cells.add(e.policy());
        }
        cells.add(e.message());
        return cells;
    }
}

package io.driftguard.daemon.cli;

import io.driftguard.core.text.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A text table with a header row. On a terminal the columns are fitted to its width: each column
 * gets at most its cap, the last one what is left, and longer cells are cut with "...". On a pipe
 * every cell is printed in full. Cells are escaped ({@link Printable}) before they are measured,
 * so untrusted text can neither break a line nor drive the terminal; colour is added after.
 */
final class Table {
    private static final String CUT = "...";
    private static final int MIN_LAST = 12;

    /** A column: its header, the most it takes when cut, and an optional colour for its cells. */
    record Column(String header, int cap, UnaryOperator<String> ansi) {
        Column(String header, int cap) {
            this(header, cap, null);
        }
    }

    private final List<Column> columns;
    private final Terminal terminal;
    private final int[] widths;

    /**
     * A table whose widths come from {@code sample} (the rows to print, or none when rows arrive
     * later, as with --follow: then each column is as wide as its cap).
     */
    Table(List<Column> columns, Terminal terminal, List<List<String>> sample) {
        this.columns = List.copyOf(columns);
        this.terminal = terminal;
        this.widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            Column column = columns.get(i);
            int widest = column.header().length();
            if (sample.isEmpty()) {
                widest = Math.max(widest, column.cap());
            }
            for (List<String> row : sample) {
                widest = Math.max(widest, length(text(row.get(i))));
            }
            widths[i] = terminal.fits() ? Math.min(widest, Math.max(column.cap(), column.header().length())) : widest;
        }
        if (terminal.fits()) {
            int used = widths.length - 1;
            for (int i = 0; i < widths.length - 1; i++) {
                used += widths[i];
            }
            widths[widths.length - 1] = Math.max(MIN_LAST, terminal.width() - used);
        }
    }

    String header() {
        return line(columns.stream().map(Column::header).toList(), false);
    }

    String row(List<String> cells) {
        return line(cells, true);
    }

    List<String> lines(List<List<String>> rows) {
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header());
        rows.forEach(row -> lines.add(row(row)));
        return lines;
    }

    private String line(List<String> cells, boolean colour) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            boolean last = i == cells.size() - 1;
            String cell = text(cells.get(i));
            if (terminal.fits()) {
                cell = cut(cell, widths[i]);
            }
            String padded = last ? cell : cell + " ".repeat(Math.max(0, widths[i] - length(cell)));
            UnaryOperator<String> ansi = columns.get(i).ansi();
            out.append(colour && terminal.colour() && ansi != null ? ansi.apply(padded) : padded);
            if (!last) {
                out.append(' ');
            }
        }
        return out.toString().stripTrailing();
    }

    /** A cell as printed: escaped, "-" when there is nothing. */
    private static String text(String cell) {
        return cell == null ? "-" : Printable.escape(cell);
    }

    /** A line of free text, escaped, and cut to the terminal's width where it has one. */
    static String fit(String line, Terminal terminal) {
        String escaped = Printable.escape(line);
        return terminal.fits() ? cut(escaped, terminal.width()) : escaped;
    }

    private static String cut(String text, int width) {
        if (length(text) <= width) {
            return text;
        }
        int keep = Math.max(0, width - CUT.length());
        return text.substring(0, text.offsetByCodePoints(0, keep)) + CUT.substring(0, Math.min(CUT.length(), width));
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

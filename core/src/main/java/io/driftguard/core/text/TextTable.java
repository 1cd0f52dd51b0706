package io.driftguard.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A plain-text table for a terminal: a header line, columns padded to their widest cell, two
 * spaces between columns, and, when a width is given, every line cut to it: the last column (the
 * message) gives way first, then the widest others, each cut cell ending in "…". Width 0 means no
 * cutting (a pipe, or {@code --wide}). Cells are escaped with {@link Printable#escape}, so that a
 * registry- or container-sent string can neither break a line nor drive the terminal; a column's
 * colour ({@link #colour}) is added after that, to the cut cell, and only when asked for.
 */
public final class TextTable {
    private static final String GAP = "  ";
    private static final String CUT = "…";
    /** No column is cut narrower than this, so that every column still says something. */
    private static final int MIN_COLUMN = 6;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final Map<Integer, Function<String, String>> colours = new HashMap<>();

    private TextTable(List<String> header) {
        this.header = header;
    }

    public static TextTable of(String... header) {
        return new TextTable(List.of(header));
    }

    /** Adds a row; null cells print as "-", missing cells as empty. */
    public TextTable row(String... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>(header.size());
        for (int i = 0; i < header.size(); i++) {
            String cell = i < cells.length ? cells[i] : "";
            row.add(cell == null ? "-" : Printable.escape(cell));
        }
        rows.add(row);
        return this;
    }

    /**
     * Colours the cells (not the header) of {@code column} when rendered with colour: {@code code}
     * gives the SGR code of a whole cell (null: plain), e.g. {@link Ansi#severityCode}.
     */
    public TextTable colour(int column, Function<String, String> code) {
        colours.put(column, code);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table with a trailing newline on every line, without colour; {@code width} 0 for no limit. */
    public String render(int width) {
        return render(width, false);
    }

    /** The table, cut to {@code width} (0: no limit), its columns coloured when {@code colour} ({@link Terminal#colour}). */
    public String render(int width, boolean colour) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = length(header.get(i));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], length(row.get(i)));
            }
        }
        if (width > 0) {
            fit(widths, width);
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths, Map.of());
        for (List<String> row : rows) {
            line(out, row, widths, colour ? colours : Map.of());
        }
        return out.toString();
    }

    /** Narrows the columns until a line fits: the last one first, then always the widest. */
    private static void fit(int[] widths, int width) {
        int total = Arrays.stream(widths).sum() + GAP.length() * (widths.length - 1);
        int last = widths.length - 1;
        int excess = total - width;
        if (excess > 0) {
            int give = Math.min(excess, Math.max(0, widths[last] - MIN_COLUMN));
            widths[last] -= give;
            excess -= give;
        }
        while (excess > 0) {
            int widest = 0;
            for (int i = 1; i < widths.length; i++) {
                if (widths[i] > widths[widest]) {
                    widest = i;
                }
            }
            if (widths[widest] <= MIN_COLUMN) {
                return;
            }
            widths[widest]--;
            excess--;
        }
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, Map<Integer, Function<String, String>> colours) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cut(cells.get(i), widths[i]);
            line.append(colours.containsKey(i) ? Ansi.wrap(colours.get(i).apply(cells.get(i)), cell) : cell);
            if (i < widths.length - 1) {
                line.append(" ".repeat(widths[i] - length(cell))).append(GAP);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String cut(String cell, int width) {
        if (length(cell) <= width) {
            return cell;
        }
        return cell.substring(0, cell.offsetByCodePoints(0, Math.max(0, width - 1))) + CUT;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

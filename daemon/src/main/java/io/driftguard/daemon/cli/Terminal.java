package io.driftguard.daemon.cli;

import io.driftguard.daemon.kernel.TerminalSize;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where a command's table goes: a terminal (cut to its width, coloured unless {@code NO_COLOR} is
 * set or {@code TERM} is dumb) or a pipe or file (every cell in full, no colour).
 *
 * @param width the columns to fit, or 0 for no limit (a pipe, or {@code --wide})
 */
record Terminal(int width, boolean colour) {
    private static final int FALLBACK_WIDTH = 80;
    private static final int STDOUT = 1;

    /** Standard output's terminal (none on a pipe or file), as {@code --wide} asks for it. */
    static Terminal detect(boolean wide) {
        OptionalInt columns = TerminalSize.columns(STDOUT);
        return of(columns.isPresent(), wide, System.getenv(), () -> columns.orElse(0));
    }

    /** The source of a terminal's width when {@code COLUMNS} does not say. */
    interface Columns {
        int get();
    }

    static Terminal of(boolean tty, boolean wide, Map<String, String> env, Columns asked) {
        boolean colour = io.driftguard.core.text.Terminal.colour(tty, env);
        if (!tty || wide) {
            return new Terminal(0, colour);
        }
        int width = positive(env.get("COLUMNS"));
        if (width == 0) {
            width = asked.get();
        }
        return new Terminal(width > 0 ? width : FALLBACK_WIDTH, colour);
    }

    /** Whether cells are cut to fit. */
    boolean fits() {
        return width > 0;
    }

    private static int positive(String text) {
        try {
            int n = text == null ? 0 : Integer.parseInt(text.trim());
            return Math.max(n, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

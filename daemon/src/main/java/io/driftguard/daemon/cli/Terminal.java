package io.driftguard.daemon.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a command's table goes: a terminal (cut to its width, coloured unless {@code NO_COLOR} is
 * set or {@code TERM} is dumb) or a pipe or file (every cell in full, no colour).
 *
 * @param width the columns to fit, or 0 for no limit (a pipe, or {@code --wide})
 */
record Terminal(int width, boolean colour) {
    private static final int FALLBACK_WIDTH = 80;

    /** The terminal of this process's standard output, as {@code --wide} asks for it. */
    static Terminal detect(boolean wide) {
        boolean tty = System.console() != null; // both stdin and stdout are terminals
        return of(tty, wide, System.getenv(), tty && !wide ? Terminal::sttyColumns : () -> 0);
    }

    interface Columns {
        int get();
    }

    static Terminal of(boolean tty, boolean wide, Map<String, String> env, Columns asked) {
        String noColor = env.get("NO_COLOR");
        boolean colour = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
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

    /**
     * The width the controlling terminal reports: {@code stty size} (a fixed command, nothing of
     * ours in it) reading /dev/tty; 0 when it cannot tell.
     */
    private static int sttyColumns() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!stty.waitFor(1, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                stty.destroy();
                return 0;
            }
            String[] rowsColumns = answer.split("\\s+");
            return rowsColumns.length == 2 ? positive(rowsColumns[1]) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}

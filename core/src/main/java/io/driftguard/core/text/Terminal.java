package io.driftguard.core.text;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How wide the terminal that standard output goes to is, for {@link TextTable}: 0 (no limit) on a
 * pipe or a file; on a terminal {@code $COLUMNS} when the shell exports it, else what {@code stty
 * size} reads from /dev/tty, else 80; and whether it takes colour.
 */
public final class Terminal {
    private static final int FALLBACK = 80;

    private Terminal() {
    }

    /** The width to cut tables to; 0 when output is not a terminal or {@code wide} is asked for. */
    public static int width(boolean wide) {
        if (wide || System.console() == null) {
            return 0;
        }
        return width(System.getenv());
    }

    /** Whether tables may be coloured: standard output is a terminal, {@code NO_COLOR} is unset or empty, {@code TERM} is not dumb. */
    public static boolean colour() {
        return colour(System.console() != null, System.getenv());
    }

    /** The colour rule of {@link #colour()} for a given terminal ({@code tty}) and environment. */
    public static boolean colour(boolean tty, Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(environment.get("TERM"));
    }

    static int width(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null && columns.matches("[1-9][0-9]{0,4}")) {
            return Integer.parseInt(columns);
        }
        return stty();
    }

    /** {@code stty size}: a fixed command line, its input the controlling terminal. */
    private static int stty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return FALLBACK;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return FALLBACK;
            }
            String[] size = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            return size.length == 2 && size[1].matches("[1-9][0-9]{0,4}") ? Integer.parseInt(size[1]) : FALLBACK;
        } catch (IOException e) {
            return FALLBACK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FALLBACK;
        }
    }
}

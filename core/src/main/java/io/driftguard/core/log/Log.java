package io.driftguard.core.log;

import io.driftguard.core.text.Printable;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The programs' own log lines, on stderr. Under systemd (JOURNAL_STREAM set) each line starts with
 * its syslog priority, {@code <3>}, which journald turns into PRIORITY; elsewhere with a time and
 * level. Events are not log lines: they go through the event sinks.
 */
public final class Log {
    /** Log levels with their syslog priorities. */
    public enum Level {
        ERROR(3), WARN(4), INFO(6), DEBUG(7);

        final int priority;

        Level(int priority) {
            this.priority = priority;
        }
    }

    private static final boolean UNDER_JOURNAL = System.getenv("JOURNAL_STREAM") != null;
    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.err;

    private final String component;

    private Log(String component) {
        this.component = component;
    }

    public static Log of(Class<?> owner) {
        return new Log(owner.getSimpleName());
    }

    /** Set once at start from the config's [log] level. */
    public static void setThreshold(Level level) {
        threshold = level;
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public void error(String message) {
        write(Level.ERROR, message);
    }

    public void warn(String message) {
        write(Level.WARN, message);
    }

    public void info(String message) {
        write(Level.INFO, message);
    }

    public void debug(String message) {
        write(Level.DEBUG, message);
    }

    public boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    /**
     * Every physical line gets the real header, and control characters in the text (which may
     * hold container-chosen names) are escaped: a message cannot forge a line, a {@code <0>}
     * priority or a terminal escape. A message's own line breaks become continuation lines.
     */
    private void write(Level level, String message) {
        if (level.priority > threshold.priority) {
            return;
        }
        String header = UNDER_JOURNAL
                ? "<" + level.priority + ">" + component + ": "
                : Instant.now() + " " + level + " " + component + ": ";
        StringBuilder text = new StringBuilder();
        String[] lines = String.valueOf(message).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            text.append(header).append(i == 0 ? "" : "  ").append(Printable.escape(lines[i])).append(System.lineSeparator());
        }
        out.print(text);
    }
}

package io.driftguard.core.event;

import java.util.Locale;

/** How urgent an event is, with the syslog priority journald files it under. */
public enum Severity {
    CRITICAL(2), HIGH(3), MEDIUM(4), LOW(5), INFO(6);

    private final int syslogPriority;

    Severity(int syslogPriority) {
        this.syslogPriority = syslogPriority;
    }

    public int syslogPriority() {
        return syslogPriority;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}

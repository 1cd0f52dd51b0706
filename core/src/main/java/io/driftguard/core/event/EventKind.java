package io.driftguard.core.event;

import java.util.Locale;

/** What an event is about; the lower-case name is the wire form in JSON and journald. */
public enum EventKind {
    PROCESS, FILE, NETWORK, SYSCALL, DRIFT, ADMISSION, REGISTRY, DAEMON;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventKind fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}

package io.driftguard.core.event;

import java.util.Locale;

/** What driftguard did; the lower-case name is the wire form ({@code DRIFTGUARD_ACTION=blocked}). */
public enum EventAction {
    /** The operation failed inside the container. */
    BLOCKED,
    /** The process was killed. */
    KILLED,
    /** Nothing was stopped; the event is a warning. */
    ALERTED,
    /** The container's network was cut. */
    ISOLATED,
    /** A container's isolation was lifted. */
    RELEASED,
    /** The container was stopped through the Docker API (a rule's stop response, or driftguard stop). */
    STOPPED,
    /** The container was restarted through the Docker API (a rule's restart response). */
    RESTARTED,
    /** Something driftguard itself did or saw: started, attached, reloaded, a scan finding recorded. */
    INFO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventAction fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}

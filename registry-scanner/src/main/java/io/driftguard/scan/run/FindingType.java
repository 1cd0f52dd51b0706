package io.driftguard.scan.run;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.Severity;

/** The kinds of finding, each with how it is reported as a {@code registry} event. */
public enum FindingType {
    /** A tag's digest moved away from the approved (or last seen) one. */
    DRIFT("drift", EventAction.ALERTED, Severity.HIGH),
    /** Stored content no longer hashes to its digest, or its size differs from its descriptor. */
    TAMPER("tamper", EventAction.ALERTED, Severity.CRITICAL),
    /** A registry, repository or tag could not be scanned; the rest of the run went on. */
    ERROR("error", EventAction.INFO, Severity.MEDIUM);

    private final String wire;
    private final EventAction action;
    private final Severity severity;

    FindingType(String wire, EventAction action, Severity severity) {
        this.wire = wire;
        this.action = action;
        this.severity = severity;
    }

    public String wire() {
        return wire;
    }

    public EventAction action() {
        return action;
    }

    public Severity severity() {
        return severity;
    }
}

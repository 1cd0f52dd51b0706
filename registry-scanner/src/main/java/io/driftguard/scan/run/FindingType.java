package io.driftguard.scan.run;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.Severity;

/** The kinds of finding, each with how it is reported as a {@code registry} event. */
public enum FindingType {
    /** A tag's digest moved away from the approved (or last seen) one. */
    DRIFT("drift", EventAction.ALERTED, Severity.HIGH),
    /** Stored content no longer hashes to its digest, or its size differs from its descriptor. */
    TAMPER("tamper", EventAction.ALERTED, Severity.CRITICAL),
    /** An installed package inside an advisory's affected versions; the severity is the advisory's. */
    VULNERABILITY("vulnerability", EventAction.ALERTED, Severity.MEDIUM),
    /** A risky image config or file: root user, setuid files, ADD of a URL, empty passwords. */
    MISCONFIGURATION("misconfiguration", EventAction.ALERTED, Severity.MEDIUM),
    /** A private key, access key or token in the config, the history or any layer. */
    SECRET("secret", EventAction.ALERTED, Severity.HIGH),
    /** A layer or config that could not be read (a hostile or broken tar, an unsupported format). */
    LAYER("layer", EventAction.INFO, Severity.LOW),
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

package io.driftguard.daemon.policy;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.Severity;

/** What a rule does when it matches, strongest last so that the strongest match wins. */
public enum Action {
    /** Network only: the call goes through whatever else matches it; never an event. */
    ALLOW(EventAction.INFO, Severity.INFO),
    ALERT(EventAction.ALERTED, Severity.MEDIUM),
    BLOCK(EventAction.BLOCKED, Severity.HIGH),
    KILL(EventAction.KILLED, Severity.HIGH),
    /** As block (network, exec) or kill (syscall), then every packet of the container is dropped until released. */
    ISOLATE(EventAction.BLOCKED, Severity.CRITICAL);

    private final EventAction eventAction;
    private final Severity severity;

    Action(EventAction eventAction, Severity severity) {
        this.eventAction = eventAction;
        this.severity = severity;
    }

    public EventAction eventAction() {
        return eventAction;
    }

    public Severity severity() {
        return severity;
    }

    /** The action a policy in {@code mode} really takes: audit reports what it would stop, and still allows. */
    public Action under(Mode mode) {
        return mode == Mode.AUDIT && this != ALLOW ? ALERT : this;
    }
}

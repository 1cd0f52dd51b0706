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
    ISOLATE(EventAction.BLOCKED, Severity.CRITICAL),
    /** As block (network, exec) or kill (syscall), then the container is restarted through the Docker API. */
    RESTART(EventAction.BLOCKED, Severity.CRITICAL),
    /** As block (network, exec) or kill (syscall), then the container is stopped through the Docker API. */
    STOP(EventAction.BLOCKED, Severity.CRITICAL);

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

    /** True for the actions that end in a response to the whole container through Docker (stop, restart). */
    public boolean respondsThroughDocker() {
        return this == STOP || this == RESTART;
    }

    /** The event detail {@code response} that asks for the stop or restart ("stop", "restart"); null for the others. */
    public String response() {
        return respondsThroughDocker() ? name().toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** What an event's message adds when the container is stopped or restarted next. */
    public String then() {
        return switch (this) {
            case STOP -> "; stopping the container";
            case RESTART -> "; restarting the container";
            default -> "";
        };
    }

    /** The action a policy in {@code mode} really takes: audit reports what it would stop, and still allows. */
    public Action under(Mode mode) {
        return mode == Mode.AUDIT && this != ALLOW ? ALERT : this;
    }
}

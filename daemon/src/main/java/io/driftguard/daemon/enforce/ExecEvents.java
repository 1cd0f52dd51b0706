package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Mode;

/** Builds the events of exec decisions, with the sentence a person reads. */
final class ExecEvents {
    private ExecEvents() {
    }

    static Event decided(ContainerInfo container, RuleRef ref, Action taken, String reason, ProcessInfo process) {
        String where = " in container " + container.name() + " (image " + container.image() + ")";
        String by = " by policy " + ref.policy().name();
        String what = process.path();
        String message = switch (taken) {
            case BLOCK -> "Blocked exec of " + what + where + by;
            case KILL -> "Killed process " + process.pid() + " on exec of " + what + where + by;
            case ISOLATE -> "Blocked exec of " + what + where + by + "; isolating the container";
            case STOP, RESTART -> "Blocked exec of " + what + where + by + taken.then();
            case ALERT -> ref.policy().mode() == Mode.AUDIT && ref.rule().action() != Action.ALERT
                    ? "Would have " + (ref.rule().action() == Action.KILL ? "killed" : "blocked") + " exec of " + what
                    + where + by + " (audit mode)"
                    : "Exec of " + what + where + " matched policy " + ref.policy().name();
            case ALLOW -> throw new IllegalArgumentException("allow is not an exec decision");
        };
        return Event.builder(EventKind.PROCESS, taken.eventAction(), taken.severity())
                .container(container.id(), container.name(), container.image(), container.imageId())
                .policy(ref.policy().name(), ref.rule().name())
                .process(process)
                .detail("matched", reason)
                .detail("response", taken.response())
                .message(message + (reason == null ? "" : " (matched " + reason + ")"))
                .build();
    }

    /** {@code count}: answers by the fail mode in this container since attach. */
    static Event failMode(ContainerInfo container, boolean allowed, String why, ProcessInfo process, long count) {
        return Event.builder(EventKind.DAEMON, allowed ? EventAction.ALERTED : EventAction.BLOCKED,
                        Severity.HIGH)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .process(process)
                .detail("fail_mode", allowed ? "allow" : "deny")
                .detail("count", Long.toString(count))
                .message("No decision in time for exec of " + process.path() + " in container " + container.name()
                        + " (" + why + "); " + (allowed ? "allowed" : "denied") + " by the fail mode")
                .build();
    }

    /** Execs that a crashed run of the daemon had read and not answered, denied when the group is adopted. */
    static Event orphansDenied(ContainerInfo container, long count) {
        return Event.builder(EventKind.DAEMON, EventAction.BLOCKED, Severity.HIGH)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .detail("count", Long.toString(count))
                .message(count + " execs in container " + container.name() + " that the previous run of the daemon had read"
                        + " but not answered when it ended were denied (what they were died with it)")
                .build();
    }

    /** The response to an exec could not be written: the exec did not get that answer (a closed group allowed it). */
    static Event unanswered(ContainerInfo container, boolean allow, String source, String error, ProcessInfo process,
                            long count) {
        return Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .process(process)
                .detail("answer", allow ? "allow" : "deny")
                .detail("count", Long.toString(count))
                .message("Cannot answer exec of " + process.path() + " in container " + container.name() + " ("
                        + (allow ? "allow" : "deny") + ", " + source + "): " + error)
                .build();
    }

    /** The kernel will go on asking about an allowed file: each exec of it is decided again. */
    static Event notIgnored(ContainerInfo container, String path, String error, long count) {
        return ignoreMark(container, path, Severity.LOW, count, "Cannot tell the kernel to skip later execs of " + path
                + " in container " + container.name() + " until the file changes (" + error + "); each exec of it is decided again");
    }

    /** A file changed between its decision and its ignore mark, and the mark could not be taken back. */
    static Event ignoredWhileChanged(ContainerInfo container, String path, String error, long count) {
        return ignoreMark(container, path, Severity.HIGH, count, path + " in container " + container.name()
                + " changed while it was being marked as allowed, and the mark cannot be taken back (" + error
                + "): its execs are not checked until it changes again");
    }

    private static Event ignoreMark(ContainerInfo container, String path, Severity severity, long count, String message) {
        return Event.builder(EventKind.DAEMON, EventAction.ALERTED, severity)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .detail("path", path)
                .detail("count", Long.toString(count))
                .message(message)
                .build();
    }

    static Event stopped(ContainerInfo container, String why) {
        return Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .message("Exec rules are no longer enforced on container " + container.name() + ": " + why)
                .build();
    }
}

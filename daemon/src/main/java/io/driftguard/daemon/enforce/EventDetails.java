package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.Mode;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What an event gains on the event writer thread, after the decision it reports was answered:
 * the user name of its process as the container knows it, its parent (pid and comm) and command
 * line, as Falco's {@code user.name}, {@code proc.pname} and {@code proc.cmdline} do; and
 * {@code details.mode = "audit"} on the events of an audit-mode policy. Whatever /proc no longer
 * has (a killed process is gone at once) is left out. The message of a process or drift event ends
 * with who started it ({@link #startedBy}): the checks leave that clause to this class.
 */
public final class EventDetails implements UnaryOperator<Event> {
    static final int MAX_CMDLINE = 1024;

    private final Supplier<SensorManager> sensors;
    private final ContainerUsers users = new ContainerUsers();

    /** Details looked up through {@code sensors} (the containers' pids, the policies); null until there are any. */
    public EventDetails(Supplier<SensorManager> sensors) {
        this.sensors = sensors;
    }

    @Override
    public Event apply(Event event) {
        SensorManager manager = sensors.get();
        if (manager == null) {
            return event;
        }
        boolean audit = event.policy() != null && manager.policies().policies().stream()
                .anyMatch(p -> p.name().equals(event.policy()) && p.mode() == Mode.AUDIT);
        ProcessInfo process = event.process();
        if (!audit && (process == null || event.containerId() == null)) {
            return event;
        }
        Event.Builder more = event.toBuilder();
        if (audit) {
            more.detail("mode", "audit");
        }
        if (process != null && event.containerId() != null) {
            ProcessInfo detailed = details(event.containerId(), process, containerPid(manager, event.containerId()));
            more.process(detailed);
            if (detailed.uid() != null && (event.kind() == EventKind.PROCESS || event.kind() == EventKind.DRIFT)) {
                more.message(event.message() + "; " + startedBy(detailed));
            }
        }
        return more.build();
    }

    /** The one clause that names who started a process: "started by user 'www-data' (uid 33)", or "started by uid 33" without a name. */
    static String startedBy(ProcessInfo process) {
        return process.user() == null ? "started by uid " + process.uid()
                : "started by user '" + process.user() + "' (uid " + process.uid() + ")";
    }

    /** {@code containerPid}: the container's first process, whose root is the container's even when the event's process is gone. */
    private ProcessInfo details(String containerId, ProcessInfo process, OptionalInt containerPid) {
        String user = process.uid() == null ? null
                : users.name(containerId, containerPid.orElse(process.pid()), process.uid(), Instant.now());
        Integer ppid = process.parent() != null ? Integer.valueOf(process.parent().pid()) : ProcFs.ppid(process.pid());
        ProcessInfo.Parent parent = ppid == null || ppid == 0 ? null : new ProcessInfo.Parent(ppid, ProcFs.comm(ppid));
        List<String> args = process.args() != null ? process.args() : ProcFs.cmdline(process.pid());
        return process.withDetails(user, parent, cmdline(args));
    }

    private static OptionalInt containerPid(SensorManager manager, String containerId) {
        try {
            return manager.pid(ContainerId.parse(containerId));
        } catch (IllegalArgumentException notAFullId) {
            return OptionalInt.empty();
        }
    }

    /** argv joined by spaces, at most {@link #MAX_CMDLINE} characters; null for none. */
    static String cmdline(List<String> args) {
        if (args.isEmpty()) {
            return null;
        }
        String line = String.join(" ", args);
        return line.codePointCount(0, line.length()) > MAX_CMDLINE
                ? line.substring(0, line.offsetByCodePoints(0, MAX_CMDLINE)) + "..." : line;
    }
}

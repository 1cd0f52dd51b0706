package io.driftguard.daemon.bpf;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.IpText;
import java.net.Inet6Address;

/** Turns {@link BpfEvent}s into core events with messages that name the process, container, rule and policy. */
public final class BpfEventTranslator {
    private BpfEventTranslator() {
    }

    public static Event toEvent(BpfEvent event) {
        if (event instanceof BpfEvent.Network n) {
            return network(n);
        }
        if (event instanceof BpfEvent.Syscall s) {
            return syscall(s);
        }
        if (event instanceof BpfEvent.Exec x) {
            return exec(x);
        }
        if (event instanceof BpfEvent.Drift d) {
            return drift(d);
        }
        if (event instanceof BpfEvent.Isolation i) {
            return isolation(i);
        }
        if (event instanceof BpfEvent.Untemplated u) {
            return Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.MEDIUM)
                    .detail("count", Long.toString(u.count()))
                    .detail("total", Long.toString(u.total()))
                    .message(u.count() + " container cgroups were made before driftguard knew their container (" + u.total()
                            + " since start; another engine's, or created while the daemon was catching up): their first"
                            + " execs were judged only from the attach on")
                    .build();
        }
        BpfEvent.Lost lost = (BpfEvent.Lost) event;
        return Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.HIGH)
                .detail("lost", Long.toString(lost.count()))
                .detail("lost_total", Long.toString(lost.total()))
                .message(lost.count() + " kernel events lost: the BPF ring buffer was full (" + lost.total() + " since start)")
                .build();
    }

    private static Event network(BpfEvent.Network n) {
        String host = n.address() instanceof Inet6Address ? "[" + IpText.of(n.address()) + "]" : IpText.of(n.address());
        String what = ("udp".equals(n.protocol()) ? "send to " : "connect to ") + host + ":" + n.port() + "/" + n.protocol()
                + " from " + process(n.process()) + " in container " + n.container().name();
        String by = "rule " + n.rule().rule() + " of policy " + n.rule().policy();
        String message = n.action() == EventAction.BLOCKED ? "Blocked " + what + " by " + by : "Alert: " + what + " matched " + by;
        return base(EventKind.NETWORK, n.action(), n.container(), n.rule().policy(), n.rule().rule(), n.process(), n.rule().action())
                .detail("destination", IpText.of(n.address()))
                .detail("port", Integer.toString(n.port()))
                .detail("protocol", n.protocol())
                .message(message + then(n.rule().action()))
                .build();
    }

    private static Event syscall(BpfEvent.Syscall s) {
        String who = process(s.process()) + " in container " + s.container().name();
        String by = "rule " + s.rule().rule() + " of policy " + s.rule().policy();
        String message = s.action() == EventAction.KILLED
                ? "Killed " + who + " for calling " + s.name() + " by " + by
                : "Alert: " + who + " called " + s.name() + ", matching " + by;
        return base(EventKind.SYSCALL, s.action(), s.container(), s.rule().policy(), s.rule().rule(), s.process(), s.rule().action())
                .detail("syscall", s.name())
                .detail("syscall_nr", Integer.toString(s.number()))
                .message(message + then(s.rule().action()))
                .build();
    }

    private static Event exec(BpfEvent.Exec x) {
        String who = process(x.process()) + " started as " + x.invokedName() + method(x.method()) + " in container " + x.container().name();
        String by = "rule " + x.rule().rule() + " of policy " + x.rule().policy();
        String message = x.action() == EventAction.KILLED ? "Killed " + who + " by " + by : "Alert: started " + who + ", matching " + by;
        return base(EventKind.PROCESS, x.action(), x.container(), x.rule().policy(), x.rule().rule(), x.process(), x.rule().action())
                .detail("invoked_name", x.invokedName())
                .detail("method", x.method() == null ? "unknown" : x.method().label())
                .message(message + then(x.rule().action()))
                .build();
    }

    private static Event drift(BpfEvent.Drift d) {
        String what = "exec of " + d.fileName() + method(d.method()) + " by " + process(d.process()) + " in container " + d.container().name();
        String message = (d.action() == EventAction.KILLED ? "Killed " : "Alert: ") + what
                + ": not a file of the image (drift) by policy " + d.rule().policy();
        return base(EventKind.DRIFT, d.action(), d.container(), d.rule().policy(), DriftRule.RULE, d.process(), d.rule().action())
                .detail("drift", "added")
                .detail("file", d.fileName())
                .detail("method", d.method() == null ? "unknown" : d.method().label())
                .message(message + then(d.rule().action()))
                .build();
    }

    private static String method(ExecMethod method) {
        return method == null ? "" : " (" + method.label() + ")";
    }

    private static Event isolation(BpfEvent.Isolation i) {
        boolean isolated = i.action() == EventAction.ISOLATED;
        return Event.builder(EventKind.NETWORK, i.action(), isolated ? Severity.HIGH : Severity.INFO)
                .container(i.container().id(), i.container().name(), i.container().image(), i.container().imageId())
                .detail("reason", i.reason())
                .message((isolated ? "Isolated container " : "Released container ") + i.container().name() + " (" + i.reason() + ")")
                .build();
    }

    private static Event.Builder base(EventKind kind, EventAction action, ContainerInfo c, String policy, String rule, ProcessInfo process,
                                      KernelAction ruleAction) {
        return Event.builder(kind, action, action == EventAction.ALERTED ? Severity.MEDIUM : Severity.HIGH)
                .container(c.id(), c.name(), c.image(), c.imageId())
                .policy(policy, rule)
                .process(process)
                .detail("response", ruleAction.response());
    }

    /** What follows the kernel's own action: the container's stop or restart (ResponseSink acts on the detail). */
    private static String then(KernelAction ruleAction) {
        return switch (ruleAction) {
            case STOP -> "; stopping the container";
            case RESTART -> "; restarting the container";
            default -> "";
        };
    }

    private static String process(ProcessInfo p) {
        return p.path() + " (pid " + p.pid() + ")";
    }
}

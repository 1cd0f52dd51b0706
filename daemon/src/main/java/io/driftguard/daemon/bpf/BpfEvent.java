package io.driftguard.daemon.bpf;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.daemon.docker.ContainerInfo;
import java.net.InetAddress;

/**
 * What the eBPF side reports, already joined with the container and the rule that decided.
 * {@link BpfEventTranslator} turns each into a core {@code Event}. Pids are host pids.
 */
public sealed interface BpfEvent {
    /** A connect or UDP send that a network rule blocked (BLOCKED) or reported (ALERTED). */
    record Network(ContainerInfo container, KernelNetworkRule rule, EventAction action, ProcessInfo process,
                   InetAddress address, int port, String protocol) implements BpfEvent {
    }

    /** A syscall entry that a syscall rule killed (KILLED) or reported (ALERTED). */
    record Syscall(ContainerInfo container, KernelSyscallRule rule, EventAction action, ProcessInfo process,
                   int number, String name) implements BpfEvent {
    }

    /** A program started under a forbidden name, killed (KILLED) or reported (ALERTED); {@code method} says how it was named. */
    record Exec(ContainerInfo container, ProcessNameRule rule, EventAction action, ProcessInfo process,
                String invokedName, ExecMethod method) implements BpfEvent {
    }

    /** An exec of a file that cannot be the image's (a memfd, ...: {@code method}), killed or reported. */
    record Drift(ContainerInfo container, DriftRule rule, EventAction action, ProcessInfo process,
                 String fileName, ExecMethod method) implements BpfEvent {
    }

    /**
     * An exec stopped (SIGSTOP) in a container cgroup made before driftguard knew its container,
     * because some policy forbids it: the daemon looks the container up and kills or resumes it.
     * {@code drift} tells a drift finding ({@code name}: the file's own name) from a name one
     * ({@code name}: the invoked name).
     */
    record Held(long cgroupId, boolean drift, String name, ExecMethod method, ProcessInfo process) {
    }

    /** Container cgroups made before driftguard knew their container, since the last report. */
    record Untemplated(long count, long total) implements BpfEvent {
    }

    /** A container cut off the network (ISOLATED) or let back (RELEASED); {@code reason} says by whom. */
    record Isolation(ContainerInfo container, EventAction action, String reason) implements BpfEvent {
    }

    /** Kernel events that did not fit into the ring buffer since the last report. */
    record Lost(long count, long total) implements BpfEvent {
    }
}

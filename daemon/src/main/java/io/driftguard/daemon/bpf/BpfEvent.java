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

    /** A program started under a forbidden name, killed (KILLED) or reported (ALERTED). */
    record Exec(ContainerInfo container, ProcessNameRule rule, EventAction action, ProcessInfo process,
                String invokedName) implements BpfEvent {
    }

    /** A container cut off the network (ISOLATED) or let back (RELEASED); {@code reason} says by whom. */
    record Isolation(ContainerInfo container, EventAction action, String reason) implements BpfEvent {
    }

    /** Kernel events that did not fit into the ring buffer since the last report. */
    record Lost(long count, long total) implements BpfEvent {
    }
}

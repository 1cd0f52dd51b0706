package io.driftguard.daemon.bpf;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.Protocol;
import io.driftguard.daemon.policy.SyscallTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Turns a ring buffer record of a known container into a {@link BpfEvent}, naming the deciding rule. */
final class EventDecoder {
    private final SyscallTable syscalls;

    EventDecoder(SyscallTable syscalls) {
        this.syscalls = syscalls;
    }

    /** Null when the record names no rule of the container (rules changed since the kernel decided). */
    BpfEvent decode(DriftguardH.dg_event e, ContainerInfo container, ContainerRules rules) {
        boolean enforced = e.verdict == DriftguardH.DG_VERDICT_ENFORCE;
        switch (e.kind) {
            case DriftguardH.DG_EVENT_NETWORK: {
                int index = Long.numberOfTrailingZeros(e.rules);
                if (index >= rules.network().size()) {
                    return null;
                }
                return new BpfEvent.Network(container, rules.network().get(index),
                        enforced ? EventAction.BLOCKED : EventAction.ALERTED,
                        process(e), address(e), Short.toUnsignedInt(e.port), Protocol.nameOf(Byte.toUnsignedInt(e.protocol)));
            }
            case DriftguardH.DG_EVENT_SYSCALL: {
                KernelSyscallRule rule = rules.syscalls().stream()
                        .filter(r -> r.action().enforces() == enforced
                                && r.names().stream().anyMatch(n -> syscalls.number(n).orElse(-1) == e.syscall_nr))
                        .findFirst().orElse(null);
                return rule == null ? null : new BpfEvent.Syscall(container, rule,
                        enforced ? EventAction.KILLED : EventAction.ALERTED, process(e), e.syscall_nr, syscalls.name(e.syscall_nr));
            }
            case DriftguardH.DG_EVENT_EXEC: {
                if (e.name_rule < 0 || e.name_rule >= rules.processNames().size()) {
                    return null;
                }
                return new BpfEvent.Exec(container, rules.processNames().get(e.name_rule),
                        enforced ? EventAction.KILLED : EventAction.ALERTED, process(e), cString(e.name), ExecMethod.of(e.how));
            }
            case DriftguardH.DG_EVENT_DRIFT: {
                DriftRule rule = rules.decidingDrift();
                return rule == null ? null : new BpfEvent.Drift(container, rule, enforced ? EventAction.KILLED : EventAction.ALERTED,
                        process(e), cString(e.name), ExecMethod.of(e.how));
            }
            default:
                return null;
        }
    }

    BpfEvent.Held held(DriftguardH.dg_event e) {
        return new BpfEvent.Held(e.cgroup_id, e.kind == DriftguardH.DG_EVENT_DRIFT, cString(e.name), ExecMethod.of(e.how), process(e));
    }

    private static InetAddress address(DriftguardH.dg_event e) {
        byte[] bytes = e.family == LibC.AF_INET ? Arrays.copyOf(e.addr, 4) : e.addr.clone();
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The process: its path comes from the kernel (a blocked or killed process may be gone from
     * /proc already), falling back to comm; the arguments from /proc while it still exists.
     */
    private static ProcessInfo process(DriftguardH.dg_event e) {
        String path = cString(e.path);
        return new ProcessInfo(e.pid, path.isEmpty() ? cString(e.comm) : path, args(e.pid), e.uid);
    }

    private static List<String> args(int pid) {
        List<String> args = ProcFs.cmdline(pid);
        return args.isEmpty() ? null : args;
    }

    /** A NUL-terminated string, after any leading NULs (right-aligned paths have them). */
    static String cString(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && bytes[start] == 0) {
            start++;
        }
        int end = start;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
}

package io.driftguard.daemon.bpf;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What this kernel allows, learnt at start by loading one trivial program per mechanism, and
 * which mechanism therefore enforces each kind of rule (for {@code driftguard status}).
 */
public record BpfProbe(Map<Mechanism, Result> results) {
    /** {@code detail} is "ok" or the error of the failed load or attach. */
    public record Result(boolean available, String detail) {
    }

    public BpfProbe {
        results = Map.copyOf(new EnumMap<>(results));
    }

    /**
     * Probes this kernel (about a second: one small load per mechanism). {@link BpfEnforcer#open}
     * does this itself; call it directly to report what works when opening the enforcer failed.
     */
    public static BpfProbe ofThisKernel() {
        return KernelProbe.run();
    }

    public boolean available(Mechanism m) {
        Result r = results.get(m);
        return r != null && r.available();
    }

    /** The mechanism that enforces a rule with this action, or why nothing can. */
    public String mechanismFor(RuleKind kind, KernelAction action) {
        switch (kind) {
            case NETWORK:
                return need(Mechanism.CGROUP_SOCK_ADDR, "cgroup/connect4,connect6,sendmsg4,sendmsg6 " + switch (action) {
                    case ALERT -> "(event only)";
                    case ALLOW -> "(a match goes through, whatever else matches; no event)";
                    default -> "(the call fails with EPERM)";
                }) + isolation(action);
            case SYSCALL:
                if (action == KernelAction.ALERT) {
                    return need(Mechanism.TP_BTF, "tp_btf/sys_enter (event only)");
                }
                return need(Mechanism.SEND_SIGNAL, "tp_btf/sys_enter + bpf_send_signal(SIGKILL): the caller is killed, the call is not failed ("
                        + (available(Mechanism.BPF_LSM) ? "BPF LSM is available but not used yet" : "failing it needs BPF LSM: " + results.get(Mechanism.BPF_LSM).detail())
                        + ")") + isolation(action);
            case PROCESS_NAME:
                return need(Mechanism.TP_BTF, action == KernelAction.ALERT
                        ? "tp_btf/sched_process_exec (event only)"
                        : "tp_btf/sched_process_exec + bpf_send_signal(SIGKILL) before the program's first instruction"
                        + " (file name, argv[0], busybox applet, loader argument; from cgroup_mkdir on)") + isolation(action);
            case DRIFT:
                return need(Mechanism.TP_BTF, (action == KernelAction.ALERT ? "tp_btf/sched_process_exec (event only)"
                        : "tp_btf/sched_process_exec + bpf_send_signal(SIGKILL) before the program's first instruction")
                        + " for memfd, deleted files, the loader run as a program and files on new mounts; from cgroup_mkdir on");
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private String isolation(KernelAction action) {
        if (action.response() != null) {
            return "; then the container is " + (action == KernelAction.STOP ? "stopped" : "restarted") + " through the Docker API";
        }
        return action == KernelAction.ISOLATE ? "; then " + need(Mechanism.CGROUP_SKB, "cgroup_skb/ingress,egress drop every packet") : "";
    }

    private String need(Mechanism m, String text) {
        return available(m) ? text : "unavailable: " + m.description() + " does not work here (" + results.get(m).detail() + ")";
    }

    @Override
    public String toString() {
        return results.entrySet().stream()
                .map(e -> e.getKey().description() + ": " + (e.getValue().available() ? "yes" : "no, " + e.getValue().detail()))
                .collect(Collectors.joining("\n"));
    }
}

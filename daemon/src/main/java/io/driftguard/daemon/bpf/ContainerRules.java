package io.driftguard.daemon.bpf;

import java.util.List;

/**
 * Everything eBPF enforces for one container, in rule order (the first matching rule names events).
 * Of several drift rules the first that kills decides, else the first.
 */
public record ContainerRules(List<KernelNetworkRule> network, List<KernelSyscallRule> syscalls, List<ProcessNameRule> processNames,
                             List<DriftRule> drift) {
    public static final int MAX_NETWORK_RULES = DriftguardH.DG_MAX_NET_RULES;

    public ContainerRules {
        network = List.copyOf(network);
        syscalls = List.copyOf(syscalls);
        processNames = List.copyOf(processNames);
        drift = List.copyOf(drift);
        if (network.size() > DriftguardH.DG_MAX_NET_RULES) {
            throw new IllegalArgumentException(network.size() + " network rules for one container; at most " + DriftguardH.DG_MAX_NET_RULES);
        }
    }

    public ContainerRules(List<KernelNetworkRule> network, List<KernelSyscallRule> syscalls, List<ProcessNameRule> processNames) {
        this(network, syscalls, processNames, List.of());
    }

    public static ContainerRules none() {
        return new ContainerRules(List.of(), List.of(), List.of());
    }

    /** These rules with the container's file systems (kernel dev_t numbers) in every drift rule. */
    public ContainerRules withDevices(List<Integer> devices) {
        return new ContainerRules(network, syscalls, processNames, drift.stream().map(d -> d.withDevices(devices)).toList());
    }

    /** What a container not started yet can have: no network rules (they need its cgroup to attach). */
    public ContainerRules withoutNetwork() {
        return new ContainerRules(List.of(), syscalls, processNames, drift);
    }

    /** The drift rule that decides, or null. */
    public DriftRule decidingDrift() {
        return drift.stream().filter(d -> d.action().enforces()).findFirst().orElse(drift.isEmpty() ? null : drift.get(0));
    }
}

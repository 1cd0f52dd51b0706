package io.driftguard.daemon.bpf;

import java.util.List;

/** Everything eBPF enforces for one container, in rule order (the first matching rule names events). */
public record ContainerRules(List<KernelNetworkRule> network, List<KernelSyscallRule> syscalls, List<ProcessNameRule> processNames) {
    public static final int MAX_NETWORK_RULES = DriftguardH.DG_MAX_NET_RULES;

    public ContainerRules {
        network = List.copyOf(network);
        syscalls = List.copyOf(syscalls);
        processNames = List.copyOf(processNames);
        if (network.size() > DriftguardH.DG_MAX_NET_RULES) {
            throw new IllegalArgumentException(network.size() + " network rules for one container; at most " + DriftguardH.DG_MAX_NET_RULES);
        }
    }

    public static ContainerRules none() {
        return new ContainerRules(List.of(), List.of(), List.of());
    }
}

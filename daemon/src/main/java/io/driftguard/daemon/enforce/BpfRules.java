package io.driftguard.daemon.enforce;

import io.driftguard.daemon.bpf.BpfProbe;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.Mechanism;
import io.driftguard.daemon.bpf.ProcessNameRule;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.ProcessRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a container's rules between the two kernel interfaces. Network and syscall rules go to
 * eBPF. A process rule that kills by name goes to the eBPF exec program when the kernel has it,
 * because that program sees the name a process was started as (only {@code nc}, not every busybox
 * applet); its other selectors, and every block and alert rule, stay with fanotify.
 */
record BpfRules(ContainerRules kernel, List<RuleRef> fanotify, List<String> refused) {

    /**
     * The split; a rule the kernel side cannot take (policy check refuses such rules, so this is a
     * last line) is left out and named in {@code refused}, and the other rules stay in force.
     */
    static BpfRules split(List<Policy> policies, BpfProbe probe) {
        boolean execByName = probe != null && probe.available(Mechanism.TP_BTF) && probe.available(Mechanism.SEND_SIGNAL);
        List<io.driftguard.daemon.bpf.KernelNetworkRule> network = new ArrayList<>();
        List<io.driftguard.daemon.bpf.KernelSyscallRule> syscalls = new ArrayList<>();
        List<ProcessNameRule> names = new ArrayList<>();
        List<RuleRef> fanotify = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Policy policy : policies) {
            for (ProcessRule rule : policy.processRules()) {
                boolean byName = execByName && !rule.names().isEmpty() && rule.argsRegex().isEmpty()
                        && (rule.action() == Action.KILL || rule.action() == Action.ISOLATE);
                if (!byName) {
                    fanotify.add(new RuleRef(policy, rule));
                    continue;
                }
                try {
                    names.add(new ProcessNameRule(policy.name(), rule.name(), bpfAction(rule.action().under(policy.mode())), rule.names()));
                } catch (IllegalArgumentException e) {
                    refused.add(e.getMessage());
                }
                if (!rule.nameRegex().isEmpty() || !rule.paths().isEmpty() || !rule.sha256().isEmpty()) {
                    ProcessRule rest = new ProcessRule(rule.name(), rule.action(), List.of(), rule.nameRegex(), rule.paths(),
                            rule.argsRegex(), rule.sha256());
                    fanotify.add(new RuleRef(policy, rest));
                }
            }
            for (io.driftguard.daemon.policy.NetworkRule rule : policy.networkRules()) {
                if (network.size() == ContainerRules.MAX_NETWORK_RULES) {
                    refused.add("network rule " + rule.name() + " of policy " + policy.name() + ": the container already has "
                            + ContainerRules.MAX_NETWORK_RULES + " network rules, the most the kernel program holds");
                    continue;
                }
                try {
                    network.add(new io.driftguard.daemon.bpf.KernelNetworkRule(policy.name(), rule.name(),
                            bpfAction(rule.action().under(policy.mode())), rule.cidrs(), rule.ports(), rule.protocols()));
                } catch (IllegalArgumentException e) {
                    refused.add(e.getMessage());
                }
            }
            for (io.driftguard.daemon.policy.SyscallRule rule : policy.syscallRules()) {
                try {
                    syscalls.add(new io.driftguard.daemon.bpf.KernelSyscallRule(policy.name(), rule.name(),
                            bpfAction(rule.action().under(policy.mode())), rule.names()));
                } catch (IllegalArgumentException e) {
                    refused.add(e.getMessage());
                }
            }
        }
        return new BpfRules(new ContainerRules(network, syscalls, names), fanotify, refused);
    }

    boolean needsKernel() {
        return !kernel.network().isEmpty() || !kernel.syscalls().isEmpty() || !kernel.processNames().isEmpty();
    }

    private static io.driftguard.daemon.bpf.KernelAction bpfAction(Action action) {
        return switch (action) {
            case ALERT -> io.driftguard.daemon.bpf.KernelAction.ALERT;
            case BLOCK -> io.driftguard.daemon.bpf.KernelAction.BLOCK;
            case KILL -> io.driftguard.daemon.bpf.KernelAction.KILL;
            case ISOLATE -> io.driftguard.daemon.bpf.KernelAction.ISOLATE;
        };
    }
}

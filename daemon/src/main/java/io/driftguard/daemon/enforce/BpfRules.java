package io.driftguard.daemon.enforce;

import io.driftguard.daemon.bpf.BpfProbe;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.Mechanism;
import io.driftguard.daemon.bpf.ProcessNameRule;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.ProcessRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a container's rules between the two kernel interfaces. Network and syscall rules go to
 * eBPF. A process rule with names goes to the eBPF exec program when the kernel has it, because
 * that program sees the name a process was started as (only {@code nc}, not every busybox applet):
 * a kill rule's names go there only; a block rule stays with fanotify as well, which fails the exec
 * with EPERM where the file a name leads to has that name, while the exec program kills what
 * fanotify cannot tell apart (busybox applets, names made later, the start race). Drift goes to
 * both too: fanotify judges files against the baseline, the exec program what no baseline has
 * (memfd, deleted files, the loader, new mounts). {@code kernelNames} holds, for the fanotify
 * rules concerned, the names the exec program enforces as well (those that fit its name table).
 */
record BpfRules(ContainerRules kernel, List<RuleRef> fanotify, Map<RuleRef, Set<String>> kernelNames, List<String> refused) {

    /**
     * The split; a rule the kernel side cannot take (policy check refuses such rules, so this is a
     * last line) is left out and named in {@code refused}, and the other rules stay in force.
     */
    static BpfRules split(List<Policy> policies, BpfProbe probe) {
        boolean execByName = probe != null && probe.available(Mechanism.TP_BTF) && probe.available(Mechanism.SEND_SIGNAL);
        List<io.driftguard.daemon.bpf.KernelNetworkRule> network = new ArrayList<>();
        List<io.driftguard.daemon.bpf.KernelSyscallRule> syscalls = new ArrayList<>();
        List<ProcessNameRule> names = new ArrayList<>();
        List<io.driftguard.daemon.bpf.DriftRule> drift = new ArrayList<>();
        List<RuleRef> fanotify = new ArrayList<>();
        Map<RuleRef, Set<String>> kernelNames = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (Policy policy : policies) {
            for (ProcessRule rule : policy.processRules()) {
                // An audited block rule stays with fanotify alone: both would report the same exec.
                // A rule with exceptions stays with fanotify alone: the kernel's by-name kill cannot see them.
                boolean byName = execByName && !rule.names().isEmpty() && rule.argsRegex().isEmpty() && rule.except().isEmpty()
                        && (rule.action() == Action.KILL || rule.action() == Action.ISOLATE
                        || (blocks(rule.action()) && rule.action().under(policy.mode()) == rule.action()));
                if (!byName) {
                    fanotify.add(new RuleRef(policy, rule));
                    continue;
                }
                if (blocks(rule.action())) {
                    // Names the kernel table cannot hold stay with fanotify alone.
                    List<String> fit = rule.names().stream().filter(ProcessNameRule::fits).toList();
                    RuleRef both = new RuleRef(policy, rule);
                    fanotify.add(both);
                    if (!fit.isEmpty()) {
                        names.add(new ProcessNameRule(policy.name(), rule.name(), bpfAction(rule.action()), fit));
                        kernelNames.put(both, Set.copyOf(fit));
                    }
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
                            bpfAction(rule.action().under(policy.mode())), rule.cidrs(), rule.except(), rule.ports(), rule.protocols()));
                } catch (IllegalArgumentException e) {
                    refused.add(e.getMessage());
                }
            }
            if (policy.drift() != null && execByName) {
                drift.add(new io.driftguard.daemon.bpf.DriftRule(policy.name(), bpfAction(policy.drift().action().under(policy.mode())),
                        List.of()));
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
        return new BpfRules(new ContainerRules(network, syscalls, names, drift), fanotify, kernelNames, refused);
    }

    /** Process rules that fail the exec with EPERM (fanotify), the kernel's by-name kill backing them up. */
    private static boolean blocks(Action action) {
        return action == Action.BLOCK || action.respondsThroughDocker();
    }

    boolean needsKernel() {
        return !kernel.network().isEmpty() || !kernel.syscalls().isEmpty() || !kernel.processNames().isEmpty()
                || !kernel.drift().isEmpty();
    }

    private static io.driftguard.daemon.bpf.KernelAction bpfAction(Action action) {
        return switch (action) {
            case ALLOW -> io.driftguard.daemon.bpf.KernelAction.ALLOW;
            case ALERT -> io.driftguard.daemon.bpf.KernelAction.ALERT;
            case BLOCK -> io.driftguard.daemon.bpf.KernelAction.BLOCK;
            case KILL -> io.driftguard.daemon.bpf.KernelAction.KILL;
            case ISOLATE -> io.driftguard.daemon.bpf.KernelAction.ISOLATE;
            case STOP -> io.driftguard.daemon.bpf.KernelAction.STOP;
            case RESTART -> io.driftguard.daemon.bpf.KernelAction.RESTART;
        };
    }
}

package io.driftguard.daemon.bpf;

import java.util.List;

/** A {@code [[policy.syscall]]} rule as the BPF programs enforce it: a process of the container that enters one of the syscalls {@code names} is killed or reported. */
public record KernelSyscallRule(String policy, String rule, KernelAction action, List<String> names) {
    public KernelSyscallRule {
        RuleCheck check = new RuleCheck("syscall", policy, rule, action, KernelAction.BLOCK,
                "action block needs BPF LSM, which this build does not use; use kill or alert");
        names = List.copyOf(names);
        check.notEmpty("names", names);
    }
}

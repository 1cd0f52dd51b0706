package io.driftguard.daemon.bpf;

import java.util.List;

/** A {@code [[policy.syscall]]} rule: a process of the container that enters one of the syscalls {@code names} is killed or reported. */
public record SyscallRule(String policy, String rule, Action action, List<String> names) {
    public SyscallRule {
        RuleCheck check = new RuleCheck("syscall", policy, rule, action, Action.BLOCK,
                "action block needs BPF LSM, which this build does not use; use kill or alert");
        names = List.copyOf(names);
        check.notEmpty("names", names);
    }
}

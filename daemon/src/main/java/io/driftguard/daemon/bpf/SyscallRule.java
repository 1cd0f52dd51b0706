package io.driftguard.daemon.bpf;

import java.util.List;
import java.util.Objects;

/** A {@code [[policy.syscall]]} rule: a process of the container that enters one of the syscalls {@code names} is killed or reported. */
public record SyscallRule(String policy, String rule, Action action, List<String> names) {
    public SyscallRule {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        if (action == Action.BLOCK) {
            throw new IllegalArgumentException("syscall rule " + rule + " of policy " + policy
                    + ": action block needs BPF LSM, which this build does not use; use kill or alert");
        }
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("syscall rule " + rule + " of policy " + policy + ": names must not be empty");
        }
    }
}

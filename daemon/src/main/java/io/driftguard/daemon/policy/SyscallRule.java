package io.driftguard.daemon.policy;

import java.util.List;

/** A {@code [[policy.syscall]]} rule: a process of the container entering one of {@code names}. */
public record SyscallRule(String name, Action action, List<String> names) {
    public SyscallRule {
        names = List.copyOf(names);
    }
}

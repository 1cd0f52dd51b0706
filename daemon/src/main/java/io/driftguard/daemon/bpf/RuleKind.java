package io.driftguard.daemon.bpf;

/** The kinds of rule enforced with eBPF. */
public enum RuleKind {
    NETWORK, SYSCALL, PROCESS_NAME, DRIFT
}

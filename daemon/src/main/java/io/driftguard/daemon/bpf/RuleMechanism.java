package io.driftguard.daemon.bpf;

/** One rule of one container and the kernel mechanism that enforces it, for {@code driftguard status}. */
public record RuleMechanism(String policy, String rule, RuleKind kind, KernelAction action, String mechanism) {
}

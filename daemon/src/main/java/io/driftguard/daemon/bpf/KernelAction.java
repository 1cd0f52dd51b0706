package io.driftguard.daemon.bpf;

/** What the BPF programs do when a rule matches (policy.Action after the policy mode is applied). Network rules take BLOCK, ALERT, ISOLATE, ALLOW; the others KILL, ALERT, ISOLATE. */
public enum KernelAction {
    /** The connect or sendmsg fails with EPERM. */
    BLOCK,
    /** The process is killed with SIGKILL. */
    KILL,
    /** Only an event; nothing is stopped. */
    ALERT,
    /** As BLOCK (network rules) or KILL (the others), then every packet of the container is dropped until released. */
    ISOLATE,
    /** Network only: a matching call goes through, whatever block or alert rules match it too. */
    ALLOW;

    /** True when the kernel stops the operation itself (BLOCK, KILL, ISOLATE). */
    boolean enforces() {
        return this != ALERT && this != ALLOW;
    }
}

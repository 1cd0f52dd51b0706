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
    /** As ISOLATE, but the daemon then stops the container through the Docker API. */
    STOP,
    /** As ISOLATE, but the daemon then restarts the container through the Docker API. */
    RESTART,
    /** Network only: a matching call goes through, whatever block or alert rules match it too. */
    ALLOW;

    /** The event detail {@code response} of STOP and RESTART ("stop", "restart"); null for the others. */
    public String response() {
        return this == STOP || this == RESTART ? name().toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** True when the kernel stops the operation itself (all but ALERT and ALLOW). */
    boolean enforces() {
        return this != ALERT && this != ALLOW;
    }
}

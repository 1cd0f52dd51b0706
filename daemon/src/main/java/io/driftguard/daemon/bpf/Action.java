package io.driftguard.daemon.bpf;

/** What a rule does when it matches. Network rules take BLOCK, ALERT, ISOLATE; the others KILL, ALERT, ISOLATE. */
public enum Action {
    /** The connect or sendmsg fails with EPERM. */
    BLOCK,
    /** The process is killed with SIGKILL. */
    KILL,
    /** Only an event; nothing is stopped. */
    ALERT,
    /** As BLOCK (network rules) or KILL (the others), then every packet of the container is dropped until released. */
    ISOLATE;

    /** True when the kernel stops the operation itself (BLOCK, KILL, ISOLATE). */
    boolean enforces() {
        return this != ALERT;
    }
}

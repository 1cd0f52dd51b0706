package io.driftguard.daemon.policy;

/** Whether a policy acts or only reports what it would have done. */
public enum Mode {
    /** Rules act as written. */
    ENFORCE,
    /** block and kill become alert: the event says what would have happened. */
    AUDIT
}

package io.driftguard.daemon.enforce;

/**
 * Told about every exec answer the kernel got and every fanotify queue overflow, for the metrics.
 * Called on the decision threads themselves: an implementation must only count, never wait.
 */
public interface DecisionObserver {
    DecisionObserver NONE = new DecisionObserver() {
        @Override
        public void answered(boolean allowed, boolean byFailMode, long nanos) {
        }

        @Override
        public void overflowed() {
        }
    };

    /** An exec was answered {@code nanos} after its permission event was read; by the rules or by the fail mode. */
    void answered(boolean allowed, boolean byFailMode, long nanos);

    /** The kernel's fanotify queue overflowed: exec events were lost (and their execs allowed). */
    void overflowed();
}

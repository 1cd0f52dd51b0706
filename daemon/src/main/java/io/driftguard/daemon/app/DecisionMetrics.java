package io.driftguard.daemon.app;

import io.driftguard.daemon.enforce.DecisionObserver;
import io.driftguard.daemon.metrics.DaemonMetrics;

/** Hands enforcement's exec answers and fanotify overflows to the metrics, which know nothing of enforcement. */
record DecisionMetrics(DaemonMetrics metrics) implements DecisionObserver {
    @Override
    public void answered(boolean allowed, boolean byFailMode, long nanos) {
        metrics.answered(allowed, byFailMode, nanos);
    }

    @Override
    public void overflowed() {
        metrics.fanotifyOverflowed();
    }
}

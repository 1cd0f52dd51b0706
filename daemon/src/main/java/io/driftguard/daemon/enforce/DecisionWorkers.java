package io.driftguard.daemon.enforce;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads shared by every container's exec guard: reading and deciding the execs, hashing files
 * for sha256 rules, the deadline guard that answers decisions still pending after the timeout,
 * and checks that must wait until an exec has happened. A decision never waits on the others.
 */
final class DecisionWorkers implements AutoCloseable {
    final ExecPoller polling = new ExecPoller();
    final ExecutorService hashing = Executors.newFixedThreadPool(2, named("driftguard-hash"));
    /** One deadline per exec, nearly always cancelled: cancelled ones leave the queue at once. */
    final ScheduledThreadPoolExecutor deadlines = deadlineGuard();
    final ExecutorService afterExec = Executors.newSingleThreadExecutor(named("driftguard-after-exec"));

    private static ScheduledThreadPoolExecutor deadlineGuard() {
        ScheduledThreadPoolExecutor guard = new ScheduledThreadPoolExecutor(1, named("driftguard-deadline"));
        guard.setRemoveOnCancelPolicy(true);
        return guard;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() throws InterruptedException {
        polling.close();
        hashing.shutdownNow();
        afterExec.shutdownNow();
        deadlines.shutdown();
        hashing.awaitTermination(2, TimeUnit.SECONDS);
        afterExec.awaitTermination(2, TimeUnit.SECONDS);
        deadlines.awaitTermination(2, TimeUnit.SECONDS);
    }
}

package io.driftguard.daemon.enforce;

import io.driftguard.core.log.Log;
import io.driftguard.daemon.kernel.FanotifyGroup;
import io.driftguard.daemon.kernel.PollSet;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reads every container's exec group with a few threads rather than one per container (a thread
 * costs its stack and the JVM's bookkeeping, about 0.1 MB): one thread polls all the groups and
 * hands each group with events waiting to one of {@link #DECIDERS} decision threads, which reads
 * one batch and decides it. A group is not polled again until its batch is done, so a
 * container's execs are decided in order, at most one batch of each is read ahead, and a decision
 * that takes long holds up its own container and one decision thread only; the deadline guard
 * answers that container's execs by the fail mode meanwhile. Thread-safe.
 */
final class ExecPoller implements AutoCloseable {
    private static final Log LOG = Log.of(ExecPoller.class);
    /** Containers whose decisions can take long at the same time before others wait for a thread. */
    static final int DECIDERS = 4;

    private final PollSet poll;
    private final ExecutorService deciders = Executors.newFixedThreadPool(DECIDERS, named("driftguard-decide"));
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    ExecPoller() {
        try {
            poll = new PollSet();
        } catch (IOException e) {
            throw new IllegalStateException("cannot poll exec groups: " + e.getMessage(), e);
        }
        thread = new Thread(this::run, "driftguard-exec-poll");
        thread.setDaemon(true);
        thread.start();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * {@code group}, to be read from {@link Registration#start} on: {@code drain} gets a reader
     * each time events wait and reads one batch with {@link FanotifyGroup.Reader#readEachNow}.
     */
    Registration register(FanotifyGroup group, Consumer<FanotifyGroup.Reader> drain) {
        Registration registration = new Registration(group, drain);
        registrations.add(registration);
        return registration;
    }

    private void run() {
        while (!closed) {
            List<Registration> armed = registrations.stream().filter(r -> r.armed).toList();
            int[] fds = new int[armed.size()];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = armed.get(i).group.fd();
            }
            boolean[] ready;
            try {
                ready = poll.await(fds);
            } catch (IOException | RuntimeException e) {
                // Never seen; without this thread no exec is decided, and the watchdog sees the groups stall.
                LOG.error("polling " + fds.length + " exec groups failed: " + e.getMessage() + "; exec rules are no longer enforced");
                return;
            }
            for (int i = 0; i < ready.length; i++) {
                Registration registration = armed.get(i);
                if (ready[i] && !registration.closed) {
                    registration.armed = false;
                    submit(registration, () -> registration.run(null));
                }
            }
        }
    }

    private void submit(Registration registration, Runnable task) {
        try {
            deciders.execute(task);
        } catch (RejectedExecutionException stopping) {
            registration.closed = true;
        }
    }

    /** One group polled; {@link #close} stops that before the group is closed. */
    final class Registration implements AutoCloseable {
        private final FanotifyGroup group;
        private final Consumer<FanotifyGroup.Reader> drain;
        /** Held while a batch is read and decided, so that close waits for it. */
        private final ReentrantLock running = new ReentrantLock();
        /** Polled: no batch of this group is queued or being decided. */
        private volatile boolean armed;
        private volatile boolean closed;

        private Registration(FanotifyGroup group, Consumer<FanotifyGroup.Reader> drain) {
            this.group = group;
            this.drain = drain;
        }

        /** Polls the group once {@code first} ran on a decision thread. */
        void start(Runnable first) {
            submit(this, () -> run(first));
        }

        private void run(Runnable first) {
            running.lock();
            try {
                if (closed) {
                    return;
                }
                if (first != null) {
                    first.run();
                } else {
                    drain.accept(group.threadReader());
                }
            } finally {
                running.unlock();
                if (!closed) {
                    armed = true;
                    poll.wake();
                }
            }
        }

        /** Stops polling the group and waits (up to 5 s) for a batch being decided; also from the drain itself. */
        @Override
        public void close() throws InterruptedException {
            closed = true;
            registrations.remove(this);
            poll.wake();
            if (running.tryLock(5, TimeUnit.SECONDS)) {
                running.unlock();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poll.wake();
        deciders.shutdownNow();
        thread.join(TimeUnit.SECONDS.toMillis(2));
        deciders.awaitTermination(2, TimeUnit.SECONDS);
        poll.close();
    }
}

package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.Processes;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one answer to one exec permission event. The kernel holds the exec until it is answered, so
 * the event gets exactly one response: the decision's or the fail mode's (deadline, error,
 * shutdown), whichever comes first; later attempts do nothing. The fail mode's answer and a
 * response that cannot be written are events of their own, so that no event claims an answer the
 * kernel did not get. Lock-free: the deadline guard never waits for a decision in progress.
 *
 * <p>The event's descriptor is closed once both the response is written and its holder (the
 * thread deciding) let go of it, never before: its number, reused by the next event, must not get
 * a stray response.
 */
final class ExecAnswer {
    private static final Log LOG = Log.of(ExecAnswer.class);

    private final Group group;
    private final int fd;
    private final int pid;
    /** When the permission event was read, for the decision latency. */
    private final long readNanos = System.nanoTime();
    private final AtomicBoolean taken = new AtomicBoolean();
    /** One for the response, one for the holder; whoever lets go last closes the descriptor. */
    private final AtomicInteger holds = new AtomicInteger(2);

    /** What the answers of one container share: its fanotify group, its events and its fail mode. */
    static final class Group {
        private final ContainerInfo container;
        private final FanotifyPermissions permissions;
        private final EventDispatcher events;
        private final boolean failOpen;
        private final DecisionObserver observer;
        private final AtomicLong failModeAnswers = new AtomicLong();
        private final AtomicLong unwritten = new AtomicLong();

        Group(ContainerInfo container, FanotifyPermissions permissions, EventDispatcher events, boolean failOpen) {
            this(container, permissions, events, failOpen, DecisionObserver.NONE);
        }

        Group(ContainerInfo container, FanotifyPermissions permissions, EventDispatcher events, boolean failOpen,
              DecisionObserver observer) {
            this.container = container;
            this.permissions = permissions;
            this.events = events;
            this.failOpen = failOpen;
            this.observer = observer;
        }
    }

    ExecAnswer(Group group, int fd, int pid) {
        this.group = group;
        this.fd = fd;
        this.pid = pid;
    }

    /** The event's descriptor; open until {@link #release}. */
    int fd() {
        return fd;
    }

    int pid() {
        return pid;
    }

    boolean answered() {
        return taken.get();
    }

    /**
     * Answers with the decision. {@code killFirst} kills the process before a deny, so that it
     * never runs on after the failed exec. True when this is the answer the kernel got; false when
     * the fail mode answered first or the response could not be written (each has its event), so
     * that the decision's own events must not go out.
     */
    boolean decide(boolean allow, boolean killFirst) {
        if (!taken.compareAndSet(false, true)) {
            return false;
        }
        if (killFirst) {
            Processes.kill(pid);
        }
        return write(allow, null);
    }

    /** Answers by the fail mode, with an event saying why, unless the exec is answered already; false then. */
    boolean failMode(String why) {
        if (!taken.compareAndSet(false, true)) {
            return false;
        }
        String path = RootedOpen.pathOf(fd); // before the write lets go of the descriptor
        if (write(group.failOpen, why)) {
            LOG.warn("container " + group.container.name() + ": exec of " + path + " answered by the fail mode: " + why);
            group.events.publish(ExecEvents.failMode(group.container, group.failOpen, why,
                    new ProcessInfo(pid, path, null, null), group.failModeAnswers.incrementAndGet()));
        }
        return true;
    }

    /**
     * The holder is done with the descriptor. An exec nobody answered yet gets the fail mode here,
     * so that no path through a decision can leave it waiting.
     */
    void release() {
        failMode("no decision was made");
        letGo();
    }

    /** {@code failModeWhy} is null for the decision's own answer. */
    private boolean write(boolean allow, String failModeWhy) {
        String source = failModeWhy == null ? "decided" : "fail mode: " + failModeWhy;
        try {
            group.permissions.respond(fd, allow);
            group.observer.answered(allow, failModeWhy != null, System.nanoTime() - readNanos);
            return true;
        } catch (IOException | RuntimeException e) {
            String path = RootedOpen.pathOf(fd);
            LOG.error("container " + group.container.name() + ": cannot answer exec of " + path + ": " + e.getMessage());
            group.events.publish(ExecEvents.unanswered(group.container, allow, source, e.getMessage(),
                    new ProcessInfo(pid, path, null, null), group.unwritten.incrementAndGet()));
            return false;
        } finally {
            letGo();
        }
    }

    private void letGo() {
        if (holds.decrementAndGet() == 0) {
            RootedOpen.close(fd);
        }
    }
}

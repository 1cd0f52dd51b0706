package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.FileStat;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the kernel to stop asking about an allowed file until it is modified, after the exec was
 * answered and apart from the answer: a mark that fails is an event of its own, never a second
 * answer.
 */
final class IgnoreMarks {
    private static final Log LOG = Log.of(IgnoreMarks.class);

    private final ContainerInfo container;
    private final FanotifyPermissions permissions;
    private final EventDispatcher events;
    private final AtomicLong failures = new AtomicLong();

    IgnoreMarks(ContainerInfo container, FanotifyPermissions permissions, EventDispatcher events) {
        this.container = container;
        this.permissions = permissions;
        this.events = events;
    }

    /**
     * Adds the ignore mark, then checks that the file did not change between the decision and the
     * mark: a write in that window would not clear a mark that did not exist yet.
     */
    void ignoreUntilModified(int fd, FileStat decidedOn, String path) {
        try {
            permissions.ignoreUntilModified(fd);
        } catch (IOException e) {
            LOG.warn("container " + container.name() + ": " + e.getMessage());
            events.publish(ExecEvents.notIgnored(container, path, e.getMessage(), failures.incrementAndGet()));
            return;
        }
        if (unchanged(fd, decidedOn)) {
            return;
        }
        try {
            permissions.stopIgnoring(fd);
        } catch (IOException e) {
            LOG.error("container " + container.name() + ": " + path + " changed while being marked: " + e.getMessage());
            events.publish(ExecEvents.ignoredWhileChanged(container, path, e.getMessage(), failures.incrementAndGet()));
        }
    }

    /** False also when the file cannot be looked at again: the mark is then taken back to be safe. */
    private static boolean unchanged(int fd, FileStat decidedOn) {
        try {
            FileStat now = FileStat.of(fd);
            return now.mtimeNanos() == decidedOn.mtimeNanos() && now.ctimeNanos() == decidedOn.ctimeNanos()
                    && now.size() == decidedOn.size();
        } catch (IOException e) {
            return false;
        }
    }
}

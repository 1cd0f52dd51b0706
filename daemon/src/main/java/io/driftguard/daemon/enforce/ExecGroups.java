package io.driftguard.daemon.enforce;

import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.kernel.FanotifyGroup;
import io.driftguard.daemon.kernel.FdStore;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exec guards' fanotify groups and systemd's fd store: each new group is stored under
 * {@code dg-exec-CONTAINER-N}, so that when the daemon dies the group stays open and the execs
 * it holds wait (rather than being allowed, as they are when a group closes) until the next start
 * adopts the group and answers them. A released group leaves the store. Without systemd, groups
 * are opened and closed as they are. Thread-safe.
 */
public final class ExecGroups {
    private static final Log LOG = Log.of(ExecGroups.class);
    private static final String PREFIX = "dg-exec-";

    /** A guard's group and its name in the store (null when not stored); {@code adopted} from an earlier run. */
    record Kept(FanotifyGroup group, String name, boolean adopted) {
    }

    private final FdStore store;
    /** Distinguishes a container's groups of one run: a reload attaches the new before closing the old. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong sequence = new AtomicLong();

    public ExecGroups(FdStore store) {
        this.store = store;
    }

    /** Groups opened and closed with this process (tests, no systemd). */
    public static ExecGroups unstored() {
        return new ExecGroups(FdStore.fromEnvironment(Map.of()));
    }

    /** The group an earlier run kept for {@code container}, else a new one, stored. */
    Kept open(ContainerId container) throws IOException {
        String prefix = PREFIX + container.hex() + "-";
        for (Map.Entry<String, Integer> kept : store.inherited(prefix).entrySet()) {
            store.claim(kept.getKey());
            return new Kept(FanotifyGroup.adopt(kept.getValue()), kept.getKey(), true);
        }
        FanotifyGroup group = FanotifyGroup.open();
        if (!store.enabled()) {
            return new Kept(group, null, false);
        }
        String name = prefix + run + "-" + sequence.incrementAndGet();
        try {
            store.store(name, group.fd());
            return new Kept(group, name, false);
        } catch (IOException e) {
            LOG.warn("container " + container.shortForm() + ": its exec group is not kept in systemd's fd store, so a crash"
                    + " lets waiting execs through: " + e.getMessage());
            return new Kept(group, null, false);
        }
    }

    /** Takes the group out of the store, then closes it: the kernel allows what still waits. */
    void release(Kept kept) {
        if (kept.name() != null) {
            try {
                store.remove(kept.name());
            } catch (IOException e) {
                LOG.warn("removing " + kept.name() + " from systemd's fd store: " + e.getMessage());
            }
        }
        kept.group().close();
    }

    /**
     * Closes and removes the groups an earlier run kept for containers this run did not attach
     * (stopped, or no longer selected); called after the first sync with Docker. Returns how many.
     */
    public int releaseUnclaimed() {
        Map<String, Integer> left = store.inherited(PREFIX);
        for (Map.Entry<String, Integer> kept : left.entrySet()) {
            try {
                store.claim(kept.getKey());
                store.remove(kept.getKey());
            } catch (IOException e) {
                LOG.warn("releasing " + kept.getKey() + ": " + e.getMessage());
            }
            RootedOpen.close(kept.getValue());
        }
        return left.size();
    }
}

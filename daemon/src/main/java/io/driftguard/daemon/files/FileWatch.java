package io.driftguard.daemon.files;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.DirHandle;
import io.driftguard.daemon.kernel.FanotifyGroup;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.FileRule;
import io.driftguard.daemon.policy.PathGlob;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * File integrity monitoring of one container: a fanotify notification group with directory-and-
 * name reporting, with inode marks on every directory under the watched paths (overlayfs allows
 * fid reporting on inode marks only, not on its mount or super block). Writes elsewhere in the
 * container never reach the daemon. The sha256 of every watched file is kept from attach time,
 * so each change is reported with the old and the new content hash.
 */
public final class FileWatch implements AutoCloseable {
    private static final Log LOG = Log.of(FileWatch.class);
    static final long MASK = LibC.FAN_MODIFY | LibC.FAN_CLOSE_WRITE | LibC.FAN_ATTRIB | LibC.FAN_CREATE | LibC.FAN_DELETE
            | LibC.FAN_MOVED_FROM | LibC.FAN_MOVED_TO | LibC.FAN_ONDIR | LibC.FAN_EVENT_ON_CHILD;

    /** A watched file rule with its policy. */
    public record Watched(Policy policy, FileRule rule) {
    }

    private final ContainerInfo container;
    private final List<Watched> rules;
    private final EventDispatcher events;
    private final FanotifyGroup group;
    private final int rootFd;
    private final Map<String, String> dirs = new HashMap<>();
    private final Map<String, String> hashes = new HashMap<>();
    private final Set<String> written = new HashSet<>();
    private final Thread thread;
    private volatile boolean closing;

    private FileWatch(ContainerInfo container, List<Watched> rules, EventDispatcher events, FanotifyGroup group, int rootFd) {
        this.container = container;
        this.rules = List.copyOf(rules);
        this.events = events;
        this.group = group;
        this.rootFd = rootFd;
        this.thread = new Thread(this::run, "driftguard-files-" + container.id().shortForm());
        this.thread.setDaemon(true);
    }

    public static FileWatch attach(ContainerInfo container, List<Watched> rules, EventDispatcher events) throws IOException {
        int rootFd = RootedOpen.openRoot(ProcFs.root(container.pid()));
        FanotifyGroup group = null;
        try {
            group = FanotifyGroup.openNotifications();
            FileWatch watch = new FileWatch(container, rules, events, group, rootFd);
            for (Watched w : rules) {
                for (PathGlob glob : w.rule().paths()) {
                    if (ContainerFiles.statOrNull(rootFd, glob.base()) == null) {
                        // A policy may select containers that lack the path; there is nothing to watch in them.
                        LOG.info("container " + container.name() + ": watched path " + glob.base() + " does not exist");
                    } else {
                        watch.watchTree(glob.base());
                    }
                }
            }
            watch.thread.start();
            return watch;
        } catch (IOException | RuntimeException e) {
            if (group != null) {
                group.close();
            }
            RootedOpen.close(rootFd);
            throw e;
        }
    }

    public int directories() {
        return dirs.size();
    }

    /** Marks {@code path} (a directory: with everything below it; a file: through its directory). */
    private void watchTree(String path) throws IOException {
        FileStat stat = ContainerFiles.statOrNull(rootFd, path);
        if (stat == null) {
            return; // Gone meanwhile.
        }
        if (!isDirectory(stat)) {
            String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
            markDirectory(parent);
            remember(path);
            return;
        }
        markDirectory(path);
        for (String name : RootedOpen.list(rootFd, path, LibC.O_PATH | LibC.O_NOFOLLOW)) {
            String child = ContainerFiles.child(path, name);
            FileStat childStat = ContainerFiles.statOrNull(rootFd, child);
            if (childStat != null && isDirectory(childStat)) {
                watchTree(child);
            } else if (childStat != null) {
                remember(child);
            }
        }
    }

    private void markDirectory(String dir) throws IOException {
        int fd = RootedOpen.open(rootFd, dir, LibC.O_PATH | LibC.O_NOFOLLOW);
        try {
            group.markInode(fd, MASK, container.name() + ":" + dir);
            dirs.put(DirHandle.of(fd), dir);
        } finally {
            RootedOpen.close(fd);
        }
    }

    private void remember(String path) {
        if (matching(path) != null) {
            hashes.put(path, ContainerFiles.sha256(rootFd, path));
        }
    }

    private Watched matching(String path) {
        for (Watched w : rules) {
            if (w.rule().matches(path)) {
                return w;
            }
        }
        return null;
    }

    private void run() {
        FanotifyGroup.Reader events = group.reader(64 * 1024);
        while (!closing) {
            try {
                if (!events.readEach(offset -> onEvent(events, offset))) {
                    LOG.error("container " + container.name() + ": unexpected fanotify metadata, stopping its file watch");
                    return;
                }
            } catch (IOException e) {
                LOG.error("container " + container.name() + ": reading file events failed, stopping its file watch: " + e.getMessage());
                return;
            }
        }
    }

    private void onEvent(FanotifyGroup.Reader events, int offset) {
        long mask = events.mask(offset);
        FanotifyGroup.DirEntry entry = events.dirEntry(offset);
        if ((mask & LibC.FAN_Q_OVERFLOW) != 0) {
            LOG.warn("container " + container.name() + ": file event queue overflowed; changes may be missing");
        } else if (entry != null) {
            handle(entry, mask, events.pid(offset));
        }
    }

    private void handle(FanotifyGroup.DirEntry entry, long mask, int pid) {
        String dir = dirs.get(entry.dirKey());
        if (dir == null) {
            return;
        }
        String name = entry.name();
        String path = name.isEmpty() || name.equals(".") ? dir : ContainerFiles.child(dir, name);
        boolean isDir = (mask & LibC.FAN_ONDIR) != 0;
        if (isDir && (mask & (LibC.FAN_CREATE | LibC.FAN_MOVED_TO)) != 0) {
            try {
                watchTree(path);
            } catch (IOException e) {
                LOG.warn("container " + container.name() + ": cannot watch new directory " + path + ": " + e.getMessage());
            }
        }
        Watched watched = matching(path);
        if (watched == null) {
            return;
        }
        if ((mask & LibC.FAN_MODIFY) != 0) {
            written.add(path);
        }
        List<String> ops = operations(mask, path);
        if (ops.isEmpty()) {
            return;
        }
        String before = hashes.get(path);
        String after = isDir ? null : ContainerFiles.sha256(rootFd, path);
        if (after == null) {
            hashes.remove(path);
        } else {
            hashes.put(path, after);
        }
        Instant now = Instant.now();
        for (String op : ops) {
            events.publish(FileEvents.changed(container, watched, path, op, now, before, after, pid));
        }
    }

    /**
     * What happened, in order. The kernel merges queued events of one name into one mask, so a
     * short-lived file can come as created, modified and deleted at once. A write still going on
     * (FAN_MODIFY without the close) is reported once the writer closes the file.
     */
    private List<String> operations(long mask, String path) {
        List<String> ops = new java.util.ArrayList<>();
        if ((mask & LibC.FAN_CREATE) != 0) {
            ops.add("created");
        }
        if ((mask & LibC.FAN_MOVED_TO) != 0) {
            ops.add("renamed into place");
        }
        if ((mask & LibC.FAN_CLOSE_WRITE) != 0 && written.remove(path)) {
            ops.add("modified");
        }
        if ((mask & LibC.FAN_ATTRIB) != 0) {
            ops.add("attributes changed");
        }
        if ((mask & LibC.FAN_MOVED_FROM) != 0) {
            ops.add("renamed away");
        }
        if ((mask & LibC.FAN_DELETE) != 0) {
            ops.add("deleted");
        }
        return ops;
    }

    private static boolean isDirectory(FileStat stat) {
        return stat.isDirectory();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        group.wake();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        group.close();
        RootedOpen.close(rootFd);
    }
}

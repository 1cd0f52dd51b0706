package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One fanotify group of class CONTENT, able to ask permission for execs. Threading: one thread
 * at a time reads (a {@link Reader}), any thread may {@link #respond}, mark and ignore;
 * {@link #close} once. Closing the group lets the kernel allow every event still pending.
 */
public final class FanotifyGroup implements FanotifyPermissions, AutoCloseable {
    // Layouts read and written at named offsets over reused buffers (see LibC.Struct).
    private static final LibC.Struct METADATA = new LibC.fanotify_event_metadata();
    private static final int METADATA_SIZE = METADATA.size();
    private static final int EVENT_LEN = METADATA.offsetOf("event_len");
    private static final int VERS = METADATA.offsetOf("vers");
    private static final int MASK = METADATA.offsetOf("mask");
    private static final int EVENT_FD = METADATA.offsetOf("fd");
    private static final int PID = METADATA.offsetOf("pid");
    private static final int INFO_TYPE = new LibC.fanotify_event_info_header().offsetOf("info_type");
    /** Where the struct file_handle of a fid record starts. */
    private static final int FID_HANDLE = new LibC.fanotify_event_info_fid().size();
    private static final LibC.Struct RESPONSE_LAYOUT = new LibC.fanotify_response();
    private static final int RESPONSE_FD = RESPONSE_LAYOUT.offsetOf("fd");
    private static final int RESPONSE = RESPONSE_LAYOUT.offsetOf("response");
    private static final LibC.Struct POLLFD = new LibC.pollfd();
    private static final int POLLFD_SIZE = POLLFD.size();
    private static final int POLL_FD = POLLFD.offsetOf("fd");
    private static final int POLL_EVENTS = POLLFD.offsetOf("events");
    private static final int POLL_REVENTS = POLLFD.offsetOf("revents");

    private static final ThreadLocal<Memory> THREAD_BUFFERS = ThreadLocal.withInitial(() -> new Memory(8 * 1024));
    private static final ThreadLocal<Memory> RESPONSES = ThreadLocal.withInitial(() -> new Memory(RESPONSE_LAYOUT.size()));

    private final int fd;
    private final int wakeFd;
    /**
     * Every use of the two descriptors holds the read lock and checks {@link #closed}; close takes
     * the write lock. A descriptor number is reused by the next open, so a late response from a
     * worker thread after close would otherwise write into some other file.
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private FanotifyGroup(int fd, int wakeFd) {
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    public static FanotifyGroup open() throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.fanotify_init(
                    LibC.FAN_CLASS_CONTENT | LibC.FAN_CLOEXEC | LibC.FAN_NONBLOCK | LibC.FAN_UNLIMITED_QUEUE
                            | LibC.FAN_UNLIMITED_MARKS,
                    LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw NativeCall.failure("fanotify_init", "FAN_CLASS_CONTENT", e);
        }
        return withWakeUp(fd);
    }

    /**
     * A group opened by an earlier run of the daemon and kept for it (the fd store): its marks
     * and queued events are still there, and so are the events that run had read and not
     * answered (see {@link #answerOrphans}).
     */
    public static FanotifyGroup adopt(int fd) throws IOException {
        return withWakeUp(fd);
    }

    /** The group's descriptor, to hand a copy to systemd's fd store; never closed by the caller. */
    public int fd() {
        return fd;
    }

    private static FanotifyGroup withWakeUp(int fd) throws IOException {
        try {
            return new FanotifyGroup(fd, LibC.INSTANCE.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK));
        } catch (LastErrorException e) {
            RootedOpen.close(fd);
            throw NativeCall.failure("eventfd", "fanotify wake-up", e);
        }
    }

    /**
     * A notification group (FAN_CLASS_NOTIF) that reports the directory and name of each event
     * (FAN_REPORT_DFID_NAME) instead of an open file: for file integrity monitoring, which must
     * never hold up the container's writes.
     */
    public static FanotifyGroup openNotifications() throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.fanotify_init(LibC.FAN_CLASS_NOTIF | LibC.FAN_REPORT_DFID_NAME | LibC.FAN_CLOEXEC
                    | LibC.FAN_NONBLOCK | LibC.FAN_UNLIMITED_QUEUE | LibC.FAN_UNLIMITED_MARKS, LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw NativeCall.failure("fanotify_init", "FAN_CLASS_NOTIF|FAN_REPORT_DFID_NAME", e);
        }
        return withWakeUp(fd);
    }

    /** Asks for {@code mask} events on one inode (a directory with FAN_EVENT_ON_CHILD covers its entries). */
    public void markInode(int inodeFd, long mask, String what) throws IOException {
        mark(LibC.FAN_MARK_ADD, mask, LibC.AT_FDCWD, ProcFs.fd(inodeFd), what);
    }

    /**
     * Asks for exec permission events on the whole mount that {@code mountFd} lies on. The fd is
     * usually O_PATH, which fanotify_mark refuses as a bare dirfd; its /proc/self/fd link is not.
     */
    public void markMount(int mountFd, String what) throws IOException {
        mark(LibC.FAN_MARK_ADD | LibC.FAN_MARK_MOUNT, LibC.FAN_OPEN_EXEC_PERM, LibC.AT_FDCWD, ProcFs.fd(mountFd), what);
    }

    /**
     * Asks for exec permission events on every mount, in any mount namespace, of the file system
     * that {@code fd} lies on: a mount made from it later (a bind mount, the copies of
     * unshare(CLONE_NEWNS)) is covered too. Only for file systems of the container alone.
     */
    public void markFilesystem(int fd, String what) throws IOException {
        mark(LibC.FAN_MARK_ADD | LibC.FAN_MARK_FILESYSTEM, LibC.FAN_OPEN_EXEC_PERM, LibC.AT_FDCWD, "/proc/self/fd/" + fd, what);
    }

    /**
     * Stops asking about the file of {@code eventFd} until it is modified: the kernel drops an
     * ignore mark without FAN_MARK_IGNORED_SURV_MODIFY on the first write to the file.
     */
    @Override
    public void ignoreUntilModified(int eventFd) throws IOException {
        mark(LibC.FAN_MARK_ADD | LibC.FAN_MARK_IGNORED_MASK, LibC.FAN_OPEN_EXEC_PERM, eventFd, null, "ignore fd " + eventFd);
    }

    /** Takes back an ignore mark of {@link #ignoreUntilModified}. */
    @Override
    public void stopIgnoring(int eventFd) throws IOException {
        mark(LibC.FAN_MARK_REMOVE | LibC.FAN_MARK_IGNORED_MASK, LibC.FAN_OPEN_EXEC_PERM, eventFd, null,
                "stop ignoring fd " + eventFd);
    }

    private void mark(int flags, long mask, int dirfd, String path, String what) throws IOException {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            LibC.INSTANCE.fanotify_mark(fd, flags, mask, dirfd, path);
        } catch (LastErrorException e) {
            throw NativeCall.failure("fanotify_mark", what, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Removes every inode mark, ignore marks included: an adopted group's were set under older rules. */
    public void flushInodeMarks() throws IOException {
        mark(LibC.FAN_MARK_FLUSH, 0, LibC.AT_FDCWD, null, "flush inode marks");
    }

    /**
     * Answers the permission events that an earlier reader of this group read and never
     * answered: the kernel keeps them, waiting, under the descriptor numbers of that reader, which
     * are gone with it, so every number below {@code fdLimit} is tried. Returns how many were
     * answered. Only before this process reads the group itself.
     */
    public int answerOrphans(int fdLimit, boolean allow) {
        int answered = 0;
        lifecycle.readLock().lock();
        try {
            for (int orphan = 0; orphan < fdLimit && !closed; orphan++) {
                try {
                    write(orphan, allow);
                    answered++;
                } catch (IOException none) {
                    // ENOENT: no event waits under that number
                }
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return answered;
    }

    /** Whether events wait to be read now (poll without waiting): for the watchdog's progress check. */
    public boolean pending() {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            Memory poll = new Memory(POLLFD_SIZE);
            poll.clear();
            poll.setInt(POLL_FD, fd);
            poll.setShort(POLL_EVENTS, LibC.POLLIN);
            return LibC.INSTANCE.poll(poll, 1, 0) > 0 && (poll.getShort(POLL_REVENTS) & LibC.POLLIN) != 0;
        } catch (LastErrorException e) {
            return false;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Answers a permission event; any thread may answer. */
    @Override
    public void respond(int eventFd, boolean allow) throws IOException {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            write(eventFd, allow);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void write(int eventFd, boolean allow) throws IOException {
        Memory buf = RESPONSES.get();
        buf.setInt(RESPONSE_FD, eventFd);
        buf.setInt(RESPONSE, allow ? LibC.FAN_ALLOW : LibC.FAN_DENY);
        try {
            LibC.INSTANCE.write(fd, buf, buf.size());
        } catch (LastErrorException e) {
            throw NativeCall.failure("write", "fanotify response for fd " + eventFd, e);
        }
    }

    /** A reader for the one thread that reads this group's events; it owns the read buffers. */
    public Reader reader(int bufferSize) {
        return new Reader(new Memory(bufferSize));
    }

    /**
     * A reader over the calling thread's own 8 KiB buffer (up to 340 exec events of 24 bytes),
     * for {@link Reader#readEachNow}: threads that read many groups in turn keep one buffer each.
     */
    public Reader threadReader() {
        return new Reader(THREAD_BUFFERS.get());
    }

    /**
     * Reads batches of events into its own buffer; the accessors read one event's fields at an
     * offset into the last batch (struct fanotify_event_metadata).
     */
    public final class Reader {
        private final Memory buf;
        /** struct pollfd[2]: the group, then the wake-up eventfd; made by the first {@link #read}. */
        private Memory pollFds;

        private Reader(Memory buf) {
            this.buf = buf;
        }

        /**
         * Waits until events can be read or {@link #wake()} was called; returns the bytes read,
         * 0 when woken or nothing was there.
         */
        public int read() throws IOException {
            if (pollFds == null) {
                pollFds = new Memory(2L * POLLFD_SIZE);
            }
            pollFds.setInt(POLL_FD, fd);
            pollFds.setShort(POLL_EVENTS, LibC.POLLIN);
            pollFds.setShort(POLL_REVENTS, (short) 0);
            pollFds.setInt(POLLFD_SIZE + POLL_FD, wakeFd);
            pollFds.setShort(POLLFD_SIZE + POLL_EVENTS, LibC.POLLIN);
            pollFds.setShort(POLLFD_SIZE + POLL_REVENTS, (short) 0);
            try {
                LibC.INSTANCE.poll(pollFds, 2, -1);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    return 0;
                }
                throw NativeCall.failure("poll", "fanotify", e);
            }
            if ((pollFds.getShort(POLLFD_SIZE + POLL_REVENTS) & LibC.POLLIN) != 0) {
                return 0;
            }
            try {
                return (int) LibC.INSTANCE.read(fd, buf, buf.size());
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EAGAIN) { // nothing left
                    return 0;
                }
                throw NativeCall.failure("read", "fanotify", e);
            }
        }

        /**
         * Reads one batch ({@link #read}) and hands the offset of each event in it to
         * {@code handler}. Returns false when an event's metadata is of a version or length this
         * code does not understand; the caller should stop reading then.
         */
        public boolean readEach(java.util.function.IntConsumer handler) throws IOException {
            return each(read(), handler);
        }

        /**
         * {@link #readEach} of what is queued now, without waiting (the group is non-blocking):
         * for a thread that polled the group itself. Nothing once the group is closed.
         */
        public boolean readEachNow(java.util.function.IntConsumer handler) throws IOException {
            int length;
            lifecycle.readLock().lock();
            try {
                length = closed ? 0 : (int) LibC.INSTANCE.read(fd, buf, buf.size());
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EAGAIN) {
                    throw NativeCall.failure("read", "fanotify", e);
                }
                length = 0;
            } finally {
                lifecycle.readLock().unlock();
            }
            return each(length, handler);
        }

        private boolean each(int length, java.util.function.IntConsumer handler) {
            int offset = 0;
            while (offset + METADATA_SIZE <= length) {
                int eventLength = eventLength(offset);
                if (version(offset) != LibC.FANOTIFY_METADATA_VERSION || eventLength < METADATA_SIZE) {
                    return false;
                }
                handler.accept(offset);
                offset += eventLength;
            }
            return true;
        }

        public int eventLength(int offset) {
            return buf.getInt(offset + EVENT_LEN);
        }

        public int version(int offset) {
            return buf.getByte(offset + VERS) & 0xff;
        }

        public long mask(int offset) {
            return buf.getLong(offset + MASK);
        }

        public int eventFd(int offset) {
            return buf.getInt(offset + EVENT_FD);
        }

        public int pid(int offset) {
            return buf.getInt(offset + PID);
        }

        /**
         * The directory (as a {@link DirHandle} key) and entry name of an event of a group that
         * reports FAN_REPORT_DFID_NAME, or null when the event carries no such record.
         */
        public DirEntry dirEntry(int offset) {
            int info = offset + METADATA_SIZE;
            if (eventLength(offset) <= METADATA_SIZE + FID_HANDLE
                    || (buf.getByte(info + INFO_TYPE) & 0xff) != LibC.FAN_EVENT_INFO_TYPE_DFID_NAME) {
                return null;
            }
            int handle = info + FID_HANDLE;
            return new DirEntry(DirHandle.key(buf, handle), buf.getString(handle + DirHandle.size(buf, handle)));
        }
    }

    /** Where a FAN_REPORT_DFID_NAME event happened: the directory's handle key and the entry's name. */
    public record DirEntry(String dirKey, String name) {
    }

    /** Makes a blocked {@link #read} return, so that its thread can see it should stop. */
    public void wake() {
        lifecycle.readLock().lock();
        try {
            if (!closed) {
                signalWakeFd();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void signalWakeFd() {
        Memory one = new Memory(Long.BYTES); // eventfd(2) takes a uint64_t to add to its counter
        one.setLong(0, 1);
        try {
            LibC.INSTANCE.write(wakeFd, one, one.size());
        } catch (LastErrorException ignored) {
            // The counter is already set: the reader wakes anyway.
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("fanotify group already closed");
        }
    }

    /** Closes both descriptors once; the kernel then allows every event still pending. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                RootedOpen.close(fd);
                RootedOpen.close(wakeFd);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}

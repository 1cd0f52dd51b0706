package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;

/**
 * One thread's poll(2) over many descriptors at once, with an eventfd that other threads signal
 * ({@link #wake}) so that the caller can change the set. Not thread-safe except {@link #wake}.
 */
public final class PollSet implements AutoCloseable {
    private static final LibC.Struct POLLFD = new LibC.pollfd();
    private static final int SIZE = POLLFD.size();
    private static final int FD = POLLFD.offsetOf("fd");
    private static final int EVENTS = POLLFD.offsetOf("events");
    private static final int REVENTS = POLLFD.offsetOf("revents");

    private final int wakeFd;
    private final Memory counter = new Memory(Long.BYTES);
    private Memory fds = new Memory(SIZE);

    public PollSet() throws IOException {
        try {
            wakeFd = LibC.INSTANCE.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        } catch (LastErrorException e) {
            throw NativeCall.failure("eventfd", "poll wake-up", e);
        }
    }

    /**
     * Waits until one of {@code watched} can be read (or has an error or hang-up), or until
     * {@link #wake}; returns for each descriptor whether it is ready. All false when woken or
     * interrupted by a signal.
     */
    public boolean[] await(int[] watched) throws IOException {
        int count = watched.length + 1;
        if (fds.size() < (long) count * SIZE) {
            fds = new Memory(Long.highestOneBit(count) * 2 * SIZE);
        }
        set(0, wakeFd);
        for (int i = 0; i < watched.length; i++) {
            set(i + 1, watched[i]);
        }
        boolean[] ready = new boolean[watched.length];
        try {
            LibC.INSTANCE.poll(fds, count, -1);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
                return ready;
            }
            throw NativeCall.failure("poll", watched.length + " descriptors", e);
        }
        if (fds.getShort(REVENTS) != 0) {
            try {
                LibC.INSTANCE.read(wakeFd, counter, Long.BYTES); // resets the counter
            } catch (LastErrorException alreadyReset) {
                // EAGAIN: read by an earlier round
            }
        }
        for (int i = 0; i < watched.length; i++) {
            ready[i] = fds.getShort((long) (i + 1) * SIZE + REVENTS) != 0;
        }
        return ready;
    }

    private void set(int index, int fd) {
        long at = (long) index * SIZE;
        fds.setInt(at + FD, fd);
        fds.setShort(at + EVENTS, LibC.POLLIN);
        fds.setShort(at + REVENTS, (short) 0);
    }

    /** Makes a waiting {@link #await} return; any thread. */
    public void wake() {
        Memory one = new Memory(Long.BYTES);
        one.setLong(0, 1);
        try {
            LibC.INSTANCE.write(wakeFd, one, one.size());
        } catch (LastErrorException ignored) {
            // The counter is at its maximum: the waiter wakes anyway.
        }
    }

    @Override
    public void close() {
        RootedOpen.close(wakeFd);
    }
}

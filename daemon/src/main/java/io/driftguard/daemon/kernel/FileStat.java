package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;

/**
 * What statx(2) says of a file. The struct statx layout is the same on every architecture,
 * so offsets are read directly (see include/uapi/linux/stat.h).
 */
public record FileStat(long dev, long ino, long size, int mode, int uid, int gid, long mtimeNanos,
                       long ctimeNanos, long mountId) {
    private static final int STATX_SIZE = 256;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    /** Identity of the file: its device and inode. */
    public FileKey key() {
        return new FileKey(dev, ino);
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }

    /** statx on an open file descriptor. */
    public static FileStat of(int fd) throws IOException {
        return statx(fd, "", LibC.AT_EMPTY_PATH, "fd " + fd);
    }

    /** statx on a path, not following a final symlink. */
    public static FileStat ofLink(String path) throws IOException {
        return statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, path);
    }

    /** statx on a path, following symlinks (and /proc magic links such as /proc/PID/exe). */
    public static FileStat ofFollowing(String path) throws IOException {
        return statx(LibC.AT_FDCWD, path, 0, path);
    }

    private static FileStat statx(int dirfd, String path, int flags, String target) throws IOException {
        Memory buf = new Memory(STATX_SIZE);
        try {
            LibC.INSTANCE.statx(dirfd, path, flags, LibC.STATX_BASIC_STATS | LibC.STATX_MNT_ID, buf);
        } catch (LastErrorException e) {
            throw NativeCall.failure("statx", target, e);
        }
        long dev = ((long) buf.getInt(136) << 32) | (buf.getInt(140) & 0xffffffffL);
        return new FileStat(dev, buf.getLong(32), buf.getLong(40), buf.getShort(28) & 0xffff,
                buf.getInt(20), buf.getInt(24), nanos(buf, 112), nanos(buf, 96), buf.getLong(144));
    }

    /** struct statx_timestamp: s64 tv_sec, u32 tv_nsec. */
    private static long nanos(Memory buf, int offset) {
        return buf.getLong(offset) * 1_000_000_000L + (buf.getInt(offset + 8) & 0xffffffffL);
    }
}

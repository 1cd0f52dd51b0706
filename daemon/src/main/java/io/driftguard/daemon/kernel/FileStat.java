package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;

/**
 * What statx(2) says of a file. The struct statx layout is the same on every architecture; its
 * fields are read at the offsets of {@link LibC.statx}.
 */
public record FileStat(long dev, long ino, long size, int mode, int uid, int gid, long mtimeNanos,
                       long ctimeNanos, long mountId) {
    private static final LibC.Struct STATX = new LibC.statx();
    private static final int STX_UID = STATX.offsetOf("stx_uid");
    private static final int STX_GID = STATX.offsetOf("stx_gid");
    private static final int STX_MODE = STATX.offsetOf("stx_mode");
    private static final int STX_INO = STATX.offsetOf("stx_ino");
    private static final int STX_SIZE = STATX.offsetOf("stx_size");
    private static final int STX_CTIME = STATX.offsetOf("stx_ctime");
    private static final int STX_MTIME = STATX.offsetOf("stx_mtime");
    private static final int STX_DEV_MAJOR = STATX.offsetOf("stx_dev_major");
    private static final int STX_DEV_MINOR = STATX.offsetOf("stx_dev_minor");
    private static final int STX_MNT_ID = STATX.offsetOf("stx_mnt_id");
    private static final LibC.Struct TIMESTAMP = new LibC.statx_timestamp();
    private static final int TV_SEC = TIMESTAMP.offsetOf("tv_sec");
    private static final int TV_NSEC = TIMESTAMP.offsetOf("tv_nsec");

    /** Identity of the file: its device and inode. */
    public FileKey key() {
        return new FileKey(dev, ino);
    }

    public boolean isRegularFile() {
        return (mode & LibC.S_IFMT) == LibC.S_IFREG;
    }

    public boolean isDirectory() {
        return (mode & LibC.S_IFMT) == LibC.S_IFDIR;
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
        Memory buf = new Memory(STATX.size());
        try {
            LibC.INSTANCE.statx(dirfd, path, flags, LibC.STATX_BASIC_STATS | LibC.STATX_MNT_ID, buf);
        } catch (LastErrorException e) {
            throw NativeCall.failure("statx", target, e);
        }
        long dev = ((long) buf.getInt(STX_DEV_MAJOR) << 32) | (buf.getInt(STX_DEV_MINOR) & 0xffffffffL);
        return new FileStat(dev, buf.getLong(STX_INO), buf.getLong(STX_SIZE), buf.getShort(STX_MODE) & 0xffff,
                buf.getInt(STX_UID), buf.getInt(STX_GID), nanos(buf, STX_MTIME), nanos(buf, STX_CTIME), buf.getLong(STX_MNT_ID));
    }

    private static long nanos(Memory buf, int timestamp) {
        return buf.getLong(timestamp + TV_SEC) * 1_000_000_000L + (buf.getInt(timestamp + TV_NSEC) & 0xffffffffL);
    }
}

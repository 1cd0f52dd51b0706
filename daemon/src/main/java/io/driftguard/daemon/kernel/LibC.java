package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls driftguard makes directly: fanotify, statx, openat2 (through syscall),
 * poll, eventfd and signals. C names and argument order verbatim; every call throws
 * {@link LastErrorException} with errno on failure, which {@link NativeCall} turns into an
 * IOException that names the call and its target. 64-bit Linux only (size_t and long are 64-bit).
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    // fanotify_init(2) flags
    int FAN_CLOEXEC = 0x0000_0001;
    int FAN_NONBLOCK = 0x0000_0002;
    int FAN_CLASS_CONTENT = 0x0000_0004;
    int FAN_UNLIMITED_QUEUE = 0x0000_0010;
    int FAN_UNLIMITED_MARKS = 0x0000_0020;
    // fanotify_mark(2) flags
    int FAN_MARK_ADD = 0x0000_0001;
    int FAN_MARK_REMOVE = 0x0000_0002;
    int FAN_MARK_IGNORED_MASK = 0x0000_0020;
    int FAN_MARK_MOUNT = 0x0000_0010;
    int FAN_MARK_FILESYSTEM = 0x0000_0100;
    // event masks
    long FAN_OPEN_EXEC_PERM = 0x0004_0000L;
    long FAN_Q_OVERFLOW = 0x0000_4000L;
    // fanotify_response.response
    int FAN_ALLOW = 0x01;
    int FAN_DENY = 0x02;
    /** fanotify_event_metadata.vers this code understands (FANOTIFY_METADATA_VERSION). */
    int FANOTIFY_METADATA_VERSION = 3;

    int O_RDONLY = 0;
    int O_LARGEFILE = 0x8000;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    int O_NOFOLLOW = 0x20000;
    int AT_FDCWD = -100;
    int AT_EMPTY_PATH = 0x1000;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int STATX_BASIC_STATS = 0x07ff;
    int STATX_MNT_ID = 0x1000;
    // openat2 resolve flags
    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_IN_ROOT = 0x10;
    /** openat2 syscall number on x86_64 and aarch64 (generic table) alike. */
    long SYS_openat2 = 437;

    short POLLIN = 0x001;
    int EFD_CLOEXEC = 0x80000;
    int EFD_NONBLOCK = 0x800;
    int SIGKILL = 9;
    int SIGCONT = 18;

    int fanotify_init(int flags, int event_f_flags) throws LastErrorException;

    int fanotify_mark(int fanotify_fd, int flags, long mask, int dirfd, String pathname) throws LastErrorException;

    long read(int fd, Pointer buf, long count) throws LastErrorException;

    long write(int fd, Pointer buf, long count) throws LastErrorException;

    long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    int statx(int dirfd, String pathname, int flags, int mask, Pointer statxbuf) throws LastErrorException;

    long readlink(String pathname, Pointer buf, long bufsiz) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    /** Used for openat2(2), which glibc 2.36 does not wrap. */
    long syscall(long number, int dirfd, String pathname, Pointer how, long size) throws LastErrorException;

    // Notification groups for file integrity monitoring (fanotify(7)); added with the baseline work.
    int FAN_CLASS_NOTIF = 0x0000_0000;
    int FAN_REPORT_FID = 0x0000_0200;
    int FAN_REPORT_DIR_FID = 0x0000_0400;
    int FAN_REPORT_NAME = 0x0000_0800;
    int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;
    long FAN_MODIFY = 0x0000_0002L;
    long FAN_CLOSE_WRITE = 0x0000_0008L;
    long FAN_ATTRIB = 0x0000_0004L;
    long FAN_MOVED_FROM = 0x0000_0040L;
    long FAN_MOVED_TO = 0x0000_0080L;
    long FAN_CREATE = 0x0000_0100L;
    long FAN_DELETE = 0x0000_0200L;
    long FAN_DELETE_SELF = 0x0000_0400L;
    long FAN_ONDIR = 0x4000_0000L;
    long FAN_EVENT_ON_CHILD = 0x0800_0000L;
    /** fanotify_event_info_header.info_type of a directory fid followed by a name. */
    int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    /** name_to_handle_at flag: a handle that identifies, even where it cannot be opened (overlayfs). */
    int AT_HANDLE_FID = 0x200;

    long lgetxattr(String path, String name, Pointer value, long size) throws LastErrorException;

    int name_to_handle_at(int dirfd, String pathname, Pointer handle, Pointer mountId, int flags) throws LastErrorException;
}

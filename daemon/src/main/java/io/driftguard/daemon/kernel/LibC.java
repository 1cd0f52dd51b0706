package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The C library, as far as driftguard calls it: fanotify, statx, openat2 (through syscall), poll,
 * eventfd, signals, xattrs, file handles, and the helpers libbpf's log needs. C names, values and
 * argument order verbatim; LinuxAbiTest compiles every constant here against the system headers
 * (x86_64 values) and fails on any difference. Calls that declare {@link LastErrorException}
 * throw it with errno; {@link NativeCall} turns it into an IOException that names the call, its
 * target and strerror. 64-bit Linux only (size_t and long are 64-bit).
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    // <sys/socket.h>, <fcntl.h>: what passing a descriptor to systemd needs (sd_pid_notify_with_fds)
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x8_0000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int F_SETFD = 2;
    int FD_CLOEXEC = 1;

    // <errno.h>: the values callers tell apart
    int ENOENT = 2;
    int EINTR = 4;
    int EAGAIN = 11;

    // <linux/fanotify.h>: fanotify_init(2) flags
    int FAN_CLOEXEC = 0x0000_0001;
    int FAN_NONBLOCK = 0x0000_0002;
    int FAN_CLASS_NOTIF = 0x0000_0000;
    int FAN_CLASS_CONTENT = 0x0000_0004;
    int FAN_UNLIMITED_QUEUE = 0x0000_0010;
    int FAN_UNLIMITED_MARKS = 0x0000_0020;
    int FAN_REPORT_DIR_FID = 0x0000_0400;
    int FAN_REPORT_NAME = 0x0000_0800;
    int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;
    // fanotify_mark(2) flags
    int FAN_MARK_ADD = 0x0000_0001;
    int FAN_MARK_REMOVE = 0x0000_0002;
    int FAN_MARK_MOUNT = 0x0000_0010;
    int FAN_MARK_IGNORED_MASK = 0x0000_0020;
    int FAN_MARK_FILESYSTEM = 0x0000_0100;
    int FAN_MARK_FLUSH = 0x0000_0080;
    // event masks
    long FAN_MODIFY = 0x0000_0002L;
    long FAN_ATTRIB = 0x0000_0004L;
    long FAN_CLOSE_WRITE = 0x0000_0008L;
    long FAN_MOVED_FROM = 0x0000_0040L;
    long FAN_MOVED_TO = 0x0000_0080L;
    long FAN_CREATE = 0x0000_0100L;
    long FAN_DELETE = 0x0000_0200L;
    long FAN_Q_OVERFLOW = 0x0000_4000L;
    long FAN_OPEN_EXEC_PERM = 0x0004_0000L;
    long FAN_EVENT_ON_CHILD = 0x0800_0000L;
    long FAN_ONDIR = 0x4000_0000L;
    /** fanotify_event_metadata.vers this code understands. */
    int FANOTIFY_METADATA_VERSION = 3;
    /** fanotify_event_info_header.info_type of a directory fid followed by a name. */
    int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    // fanotify_response.response
    int FAN_ALLOW = 0x01;
    int FAN_DENY = 0x02;

    // <fcntl.h>: open(2) flags (x86_64 values; the kernel adds O_LARGEFILE itself on 64-bit)
    int O_RDONLY = 0;
    int O_NONBLOCK = 0x800;
    int O_DIRECTORY = 0x10000;
    int O_NOFOLLOW = 0x20000;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    // *at(2) flags
    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_EMPTY_PATH = 0x1000;
    /**
     * name_to_handle_at(2): a handle that identifies, even where it cannot be opened (overlayfs).
     * In linux/fcntl.h since 6.5, which Debian 12's headers predate: LinuxAbiTest checks it
     * against the kernel's own definition (AT_REMOVEDIR).
     */
    int AT_HANDLE_FID = 0x200;
    /** The most bytes a file_handle.f_handle has. */
    int MAX_HANDLE_SZ = 128;

    // <linux/stat.h>: statx(2) mask
    int STATX_BASIC_STATS = 0x07ff;
    int STATX_MNT_ID = 0x1000;
    // <sys/stat.h>: st_mode file types
    int S_IFMT = 0170000;
    int S_IFDIR = 0040000;
    int S_IFCHR = 0020000;
    int S_IFREG = 0100000;
    int S_IFLNK = 0120000;

    // <linux/openat2.h>: open_how.resolve
    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_IN_ROOT = 0x10;
    /** <sys/syscall.h>: openat2, the same number on x86_64 and aarch64 (generic table). */
    long SYS_openat2 = 437;

    /** <poll.h> */
    short POLLIN = 0x001;
    // <sys/eventfd.h>
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;
    /** <signal.h> */
    int SIGKILL = 9;
    int SIGCONT = 18;
    /** <sys/socket.h> */
    int AF_INET = 2;
    /** <sys/ioctl.h>: the request that reads a terminal's size. */
    int TIOCGWINSZ = 0x5413;

    /**
     * A C struct declared field by field as its header does, for its layout: the code reads and
     * writes it through {@link #offsetOf} over a buffer it reuses, never through Structure.read or
     * write, which reflect over every field (too slow for the exec decision path). LinuxAbiTest
     * compares every offset, field size and struct size with what gcc says of the header.
     */
    abstract class Struct extends Structure {
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    /** sys/socket.h: struct msghdr for sendmsg(2). */
    @FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"})
    class msghdr extends Struct {
        /** void *: the target address (a struct sockaddr_un here). */
        public Pointer msg_name;
        /** socklen_t: its length (JNA pads the 4 bytes after it, as the C layout does). */
        public int msg_namelen;
        /** struct iovec *: the payload's pieces. */
        public Pointer msg_iov;
        /** size_t: how many. */
        public long msg_iovlen;
        /** void *: ancillary data (a cmsghdr with SCM_RIGHTS). */
        public Pointer msg_control;
        /** size_t: its length, CMSG_SPACE of the data. */
        public long msg_controllen;
        /** int: unused for sendmsg. */
        public int msg_flags;
    }

    /** linux/fanotify.h: the header of every event read from a group. */
    @FieldOrder({"event_len", "vers", "reserved", "metadata_len", "mask", "fd", "pid"})
    class fanotify_event_metadata extends Struct {
        /** __u32: bytes of this event, info records included. */
        public int event_len;
        /** __u8: FANOTIFY_METADATA_VERSION. */
        public byte vers;
        /** __u8: padding. */
        public byte reserved;
        /** __u16: bytes of this header (sizeof). */
        public short metadata_len;
        /** __aligned_u64: the event's FAN_* bits. */
        public long mask;
        /** __s32: an open descriptor of the file (content and exec groups), or FAN_NOFD. */
        public int fd;
        /** __s32: the process that caused the event. */
        public int pid;
    }

    /** linux/fanotify.h: what is written back to answer a permission event. */
    @FieldOrder({"fd", "response"})
    class fanotify_response extends Struct {
        /** __s32: fanotify_event_metadata.fd of the event answered. */
        public int fd;
        /** __u32: FAN_ALLOW or FAN_DENY. */
        public int response;
    }

    /** linux/fanotify.h: the header of each info record after the metadata. */
    @FieldOrder({"info_type", "pad", "len"})
    class fanotify_event_info_header extends Struct {
        /** __u8: FAN_EVENT_INFO_TYPE_*. */
        public byte info_type;
        /** __u8: padding. */
        public byte pad;
        /** __u16: bytes of the record, header included. */
        public short len;
    }

    /**
     * linux/fanotify.h: a file id record. The flexible member {@code unsigned char handle[]} (a
     * struct file_handle) starts at sizeof, so it is not declared.
     */
    @FieldOrder({"hdr", "fsid"})
    class fanotify_event_info_fid extends Struct {
        public fanotify_event_info_header hdr;
        /** __kernel_fsid_t: int val[2]. */
        public int[] fsid = new int[2];
    }

    /** fcntl.h: a handle of name_to_handle_at(2); the flexible f_handle[] starts at sizeof. */
    @FieldOrder({"handle_bytes", "handle_type"})
    class file_handle extends Struct {
        /** unsigned int: bytes of f_handle (in: the room there is). */
        public int handle_bytes;
        public int handle_type;
    }

    /** poll.h */
    @FieldOrder({"fd", "events", "revents"})
    class pollfd extends Struct {
        public int fd;
        /** short: POLL* bits asked for. */
        public short events;
        /** short: POLL* bits that happened. */
        public short revents;
    }

    /** linux/openat2.h: the argument of openat2(2). */
    @FieldOrder({"flags", "mode", "resolve"})
    class open_how extends Struct {
        /** __u64: O_* flags. */
        public long flags;
        /** __u64: creation mode (O_CREAT only). */
        public long mode;
        /** __u64: RESOLVE_* flags. */
        public long resolve;
    }

    /** sys/ioctl.h (asm-generic/termios.h): a terminal's size, as TIOCGWINSZ gives it. */
    @FieldOrder({"ws_row", "ws_col", "ws_xpixel", "ws_ypixel"})
    class winsize extends Struct {
        /** unsigned short: rows. */
        public short ws_row;
        /** unsigned short: columns. */
        public short ws_col;
        /** unsigned short: unused. */
        public short ws_xpixel;
        /** unsigned short: unused. */
        public short ws_ypixel;
    }

    /** linux/stat.h */
    @FieldOrder({"tv_sec", "tv_nsec", "__reserved"})
    class statx_timestamp extends Struct {
        /** __s64 */
        public long tv_sec;
        /** __u32 */
        public int tv_nsec;
        /** __s32: padding. */
        public int __reserved;
    }

    /** linux/stat.h, as of Linux 6.1 (later kernels use part of __spare3; the size stays 256). */
    @FieldOrder({"stx_mask", "stx_blksize", "stx_attributes", "stx_nlink", "stx_uid", "stx_gid", "stx_mode",
            "__spare0", "stx_ino", "stx_size", "stx_blocks", "stx_attributes_mask", "stx_atime", "stx_btime",
            "stx_ctime", "stx_mtime", "stx_rdev_major", "stx_rdev_minor", "stx_dev_major", "stx_dev_minor",
            "stx_mnt_id", "stx_dio_mem_align", "stx_dio_offset_align", "__spare3"})
    class statx extends Struct {
        /** __u32: the STATX_* bits filled in. */
        public int stx_mask;
        public int stx_blksize;
        /** __u64 */
        public long stx_attributes;
        /** __u32 */
        public int stx_nlink;
        /** __u32 */
        public int stx_uid;
        /** __u32 */
        public int stx_gid;
        /** __u16: file type and permission bits. */
        public short stx_mode;
        /** __u16[1]: padding. */
        public short[] __spare0 = new short[1];
        /** __u64 */
        public long stx_ino;
        /** __u64 */
        public long stx_size;
        public long stx_blocks;
        public long stx_attributes_mask;
        public statx_timestamp stx_atime;
        public statx_timestamp stx_btime;
        public statx_timestamp stx_ctime;
        public statx_timestamp stx_mtime;
        /** __u32 */
        public int stx_rdev_major;
        public int stx_rdev_minor;
        /** __u32: with stx_dev_minor, the device the file is on. */
        public int stx_dev_major;
        public int stx_dev_minor;
        /** __u64: the mount, as in /proc/PID/mountinfo. */
        public long stx_mnt_id;
        public int stx_dio_mem_align;
        public int stx_dio_offset_align;
        /** __u64[12]: room for later fields. */
        public long[] __spare3 = new long[12];
    }

    int fanotify_init(int flags, int event_f_flags) throws LastErrorException;

    int fanotify_mark(int fanotify_fd, int flags, long mask, int dirfd, String pathname) throws LastErrorException;

    int open(String pathname, int flags) throws LastErrorException;

    long read(int fd, Pointer buf, long count) throws LastErrorException;

    long write(int fd, Pointer buf, long count) throws LastErrorException;

    long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int dup2(int oldfd, int newfd) throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    long sendmsg(int sockfd, msghdr msg, int flags) throws LastErrorException;

    /** fcntl(fd, F_SETFD, FD_CLOEXEC): the variadic third argument as an int. */
    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    /** glibc: gives freed heap memory back to the kernel (start-up frees much: libbpf's copy of the kernel's BTF). */
    int malloc_trim(long pad);

    int statx(int dirfd, String pathname, int flags, int mask, Pointer statxbuf) throws LastErrorException;

    long readlink(String pathname, Pointer buf, long bufsiz) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    /** Used for TIOCGWINSZ only (the third argument points to a winsize). */
    int ioctl(int fd, long request, Pointer argp) throws LastErrorException;

    /** Used for openat2(2), which glibc 2.36 does not wrap. */
    long syscall(long number, int dirfd, String pathname, Pointer how, long size) throws LastErrorException;

    long lgetxattr(String path, String name, Pointer value, long size) throws LastErrorException;

    int name_to_handle_at(int dirfd, String pathname, Pointer handle, Pointer mountId, int flags) throws LastErrorException;

    String strerror(int errnum);

    /** For libbpf's log callback, which hands over a format and a va_list. */
    int vsnprintf(byte[] str, long size, String format, Pointer ap);
}

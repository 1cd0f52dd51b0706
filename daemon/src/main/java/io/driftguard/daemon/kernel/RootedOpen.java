package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens paths inside a container's root as if that root were "/": openat2(2) with
 * RESOLVE_IN_ROOT, so that symlinks and ".." in the container can never lead to a host file.
 * Paths from the container are attacker-controlled; this is the only way the daemon opens them.
 */
public final class RootedOpen {
    private static final LibC.Struct OPEN_HOW = new LibC.open_how();
    private static final int HOW_FLAGS = OPEN_HOW.offsetOf("flags");
    private static final int HOW_MODE = OPEN_HOW.offsetOf("mode");
    private static final int HOW_RESOLVE = OPEN_HOW.offsetOf("resolve");

    private RootedOpen() {
    }

    /** Opens a root directory (such as /proc/PID/root) as an O_PATH descriptor. */
    public static int openRoot(String rootPath) throws IOException {
        return openat2(LibC.AT_FDCWD, rootPath, LibC.O_PATH | LibC.O_CLOEXEC, 0, rootPath);
    }

    /**
     * Opens {@code path} (absolute inside the container) below {@code rootFd}, following symlinks
     * inside the root only. {@code flags} are open flags, e.g. O_PATH or O_RDONLY.
     */
    public static int open(int rootFd, String path, int flags) throws IOException {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return openat2(rootFd, relative.isEmpty() ? "." : relative, flags | LibC.O_CLOEXEC,
                LibC.RESOLVE_IN_ROOT | LibC.RESOLVE_NO_MAGICLINKS, path);
    }

    private static int openat2(int dirfd, String path, int flags, long resolve, String target) throws IOException {
        Memory how = new Memory(OPEN_HOW.size());
        how.setLong(HOW_FLAGS, flags);
        how.setLong(HOW_MODE, 0);
        how.setLong(HOW_RESOLVE, resolve);
        try {
            return (int) LibC.INSTANCE.syscall(LibC.SYS_openat2, dirfd, path, how, how.size());
        } catch (LastErrorException e) {
            throw NativeCall.failure("openat2", target, e);
        }
    }

    /**
     * The names in a directory of the container, opened with {@code flags} (O_PATH, with or without
     * O_NOFOLLOW); empty when it is gone, unreadable or not a directory.
     */
    public static List<String> list(int rootFd, String dir, int flags) {
        List<String> names = new ArrayList<>();
        int fd;
        try {
            fd = open(rootFd, dir, flags);
        } catch (IOException gone) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(ProcFs.fd(fd)))) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        } catch (IOException notADirectory) {
            // Nothing to list.
        } finally {
            close(fd);
        }
        return names;
    }

    public static void close(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing to do: the descriptor is gone either way.
        }
    }

    /** The path the kernel gives for an open descriptor, e.g. /bin/busybox inside a container. */
    public static String pathOf(int fd) {
        Memory buf = new Memory(4096);
        try {
            long n = LibC.INSTANCE.readlink(ProcFs.fd(fd), buf, buf.size());
            return new String(buf.getByteArray(0, (int) n), java.nio.charset.StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            return "?";
        }
    }
}

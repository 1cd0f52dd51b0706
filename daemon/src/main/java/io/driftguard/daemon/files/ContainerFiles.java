package io.driftguard.daemon.files;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads files and directories inside a container's root, always through {@link RootedOpen}, so that
 * a symlink planted in the container never leads the daemon to a host file.
 */
final class ContainerFiles {
    private ContainerFiles() {
    }

    /** The sha256 of a regular file, or null when it is gone or not a regular file. */
    static String sha256(int rootFd, String path) {
        int fd;
        try {
            fd = RootedOpen.open(rootFd, path, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK /* never hang on a FIFO */);
        } catch (IOException gone) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(ProcFs.fd(fd)))) {
            return FileStat.of(fd).isRegularFile() ? Digest.sha256(in).hex() : null;
        } catch (IOException unreadable) {
            return null;
        } finally {
            RootedOpen.close(fd);
        }
    }

    static FileStat statOrNull(int rootFd, String path) {
        try {
            int fd = RootedOpen.open(rootFd, path, LibC.O_PATH | LibC.O_NOFOLLOW);
            try {
                return FileStat.of(fd);
            } finally {
                RootedOpen.close(fd);
            }
        } catch (IOException gone) {
            return null;
        }
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}

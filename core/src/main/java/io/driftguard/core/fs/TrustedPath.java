package io.driftguard.core.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Trust in a state or helper path as sshd's StrictModes has it: the path and every folder above it
 * belong to root or to this process's user, and none is writable by group or others; a sticky
 * folder above (such as /tmp) is allowed, since others cannot replace what is ours in it. A path
 * that fails is refused, never used, because whoever can write it can swap what root runs or reads.
 */
public final class TrustedPath {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private TrustedPath() {
    }

    /** Throws, naming the path, its owner and mode and the fix, when {@code path} (which must exist) is not trusted. */
    public static void require(Path path) throws IOException {
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path real = path.toRealPath();
        boolean target = true;
        for (Path p = real; p != null; p = p.getParent()) {
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (uid != 0 && uid != self) {
                throw new IOException("refusing to use " + path + ": " + p + " belongs to uid " + uid
                        + ", not root" + (self == 0 ? "" : " or uid " + self) + " (chown root " + p + ")");
            }
            boolean stickyParent = !target && (mode & STICKY) != 0;
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !stickyParent) {
                throw new IOException("refusing to use " + path + ": " + p + " is writable by " + ((mode & 0002) != 0 ? "others" : "its group")
                        + " (mode " + String.format("%04o", mode & 07777) + "; chmod go-w " + p + ")");
            }
            target = false;
        }
    }
}

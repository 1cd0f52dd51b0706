package io.driftguard.daemon.bpf;

import com.sun.jna.LastErrorException;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.RootedOpen;
import java.nio.file.Path;

/** An O_DIRECTORY fd on a cgroup v2 directory, held only while attaching (links keep the cgroup). */
final class CgroupFd implements AutoCloseable {
    final int fd;

    CgroupFd(Path dir) throws BpfException {
        try {
            this.fd = LibC.INSTANCE.open(dir.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new BpfException("open", dir.toString(), e.getErrorCode(), "");
        }
    }

    @Override
    public void close() {
        RootedOpen.close(fd);
    }
}

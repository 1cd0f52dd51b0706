package io.driftguard.daemon.bpf;

import java.nio.file.Path;

/** An O_DIRECTORY fd on a cgroup v2 directory, held only while attaching (links keep the cgroup). */
final class CgroupFd implements AutoCloseable {
    final int fd;

    CgroupFd(Path dir) throws BpfException {
        int result = NativeC.INSTANCE.open(dir.toString(), NativeC.O_RDONLY | NativeC.O_DIRECTORY | NativeC.O_CLOEXEC);
        if (result < 0) {
            throw new BpfException("open", dir.toString(), com.sun.jna.Native.getLastError(), "");
        }
        this.fd = result;
    }

    @Override
    public void close() {
        NativeC.INSTANCE.close(fd);
    }
}

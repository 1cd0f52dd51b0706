package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    @Test
    void findsTheCgroup2MountOnHybridAndPureHosts() throws IOException {
        assertThat(CgroupPaths.cgroup2Mount(ProcFs.mountinfo(List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"))))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(CgroupPaths.cgroup2Mount(ProcFs.mountinfo(List.of(
                "36 25 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate"))))
                .isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThatThrownBy(() -> CgroupPaths.cgroup2Mount(ProcFs.mountinfo(List.of("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw"))))
                .hasMessageContaining("no cgroup2");
    }

    @Test
    void containerDirectoryIsTheUnifiedPathBelowTheMount() {
        Path mount = Path.of("/sys/fs/cgroup/unified");
        assertThat(CgroupPaths.cgroupDir(mount, "/docker/abc")).isEqualTo(Path.of("/sys/fs/cgroup/unified/docker/abc"));
        assertThat(CgroupPaths.cgroupDir(mount, "/")).isEqualTo(mount);
    }

    @Test
    void cgroupIdIsTheDirectoryInode() throws IOException {
        Path own = CgroupPaths.cgroupDirOf(ProcessHandle.current().pid());
        assertThat(CgroupPaths.cgroupId(own)).isPositive();
    }
}

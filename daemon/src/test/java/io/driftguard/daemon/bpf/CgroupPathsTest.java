package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {
    @Test
    void findsTheCgroup2MountOnHybridAndPureHosts() throws IOException {
        assertThat(CgroupPaths.cgroup2Mount(List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw")))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(CgroupPaths.cgroup2Mount(List.of("36 25 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate")))
                .isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThatThrownBy(() -> CgroupPaths.cgroup2Mount(List.of("31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw")))
                .hasMessageContaining("no cgroup2");
    }

    @Test
    void containerDirectoryComesFromTheUnifiedLine() throws IOException {
        Path mount = Path.of("/sys/fs/cgroup/unified");
        assertThat(CgroupPaths.cgroupDirOf(mount, List.of("4:memory:/docker/abc", "0::/docker/abc"), 42))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified/docker/abc"));
        assertThat(CgroupPaths.cgroupDirOf(mount, List.of("0::/"), 1)).isEqualTo(mount);
        assertThatThrownBy(() -> CgroupPaths.cgroupDirOf(mount, List.of("4:memory:/docker/abc"), 42)).hasMessageContaining("/proc/42/cgroup");
    }

    @Test
    void cgroupIdIsTheDirectoryInode() throws IOException {
        Path own = CgroupPaths.cgroupDirOf(ProcessHandle.current().pid());
        assertThat(CgroupPaths.cgroupId(own)).isPositive();
    }
}

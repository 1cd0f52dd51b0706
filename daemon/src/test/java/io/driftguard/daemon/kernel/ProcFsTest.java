package io.driftguard.daemon.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcFsTest {
    /** No such process: pid_max is at most 2^22. */
    private static final int GONE = Integer.MAX_VALUE;
    private static final int SELF = (int) ProcessHandle.current().pid();

    @Test
    void cmdlineIsSplitAtNuls() {
        assertThat(ProcFs.splitNul("sh\0-c\0echo a b\0".getBytes(StandardCharsets.UTF_8))).containsExactly("sh", "-c", "echo a b");
        assertThat(ProcFs.splitNul("a\0\0b\0".getBytes(StandardCharsets.UTF_8))).containsExactly("a", "", "b");
        assertThat(ProcFs.splitNul("rewritten argv".getBytes(StandardCharsets.UTF_8))).containsExactly("rewritten argv");
        assertThat(ProcFs.splitNul(new byte[0])).isEmpty();
    }

    @Test
    void statusFieldsAreTheFirstValueOfTheirLine() {
        List<String> status = List.of("Name:\tsh", "PPid:\t41", "Uid:\t1000\t1000\t1000\t1000", "Gid:\t0\t0\t0\t0");
        assertThat(ProcFs.statusField(status, "Uid")).contains("1000");
        assertThat(ProcFs.statusField(status, "PPid")).contains("41");
        assertThat(ProcFs.statusField(status, "Pid")).isEmpty();
    }

    @Test
    void mountinfoKeepsIdsPointsRootTypeDeviceAndReadOnlyAndUnescapes() {
        List<ProcFs.Mount> mounts = ProcFs.mountinfo(List.of(
                "36 25 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate",
                "812 790 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/l",
                "900 812 8:1 /data /my\\040dir\\134x ro,nosuid - ext4 /dev/sda1 rw",
                "not a mountinfo line",
                "x 1 0:1 / /y rw - tmpfs tmpfs rw"));
        assertThat(mounts).containsExactly(
                new ProcFs.Mount(36, 25, "/sys/fs/cgroup", "/", "cgroup2", 30, false),
                new ProcFs.Mount(812, 790, "/", "/", "overlay", 52, false),
                new ProcFs.Mount(900, 812, "/my dir\\x", "/data", "ext4", (8 << 20) | 1, true));
    }

    @Test
    void cgroup2PathIsTheUnifiedLine() {
        assertThat(ProcFs.cgroup2Path(List.of("4:memory:/docker/abc", "0::/docker/abc"))).contains("/docker/abc");
        assertThat(ProcFs.cgroup2Path(List.of("4:memory:/docker/abc"))).isEqualTo(Optional.empty());
    }

    @Test
    void readsALiveProcessAndNothingOfAGoneOne() throws Exception {
        assertThat(ProcFs.cmdline(SELF)).isNotEmpty();
        assertThat(ProcFs.uid(SELF)).isEqualTo(Integer.parseInt(new String(
                new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()));
        assertThat(ProcFs.ppid(SELF)).isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(ProcFs.exePath(SELF)).endsWith("/java");
        assertThat(ProcFs.ownMounts()).anySatisfy(m -> assertThat(m.mountPoint()).isEqualTo("/"));
        assertThat(ProcFs.cmdline(GONE)).isEmpty();
        assertThat(ProcFs.uid(GONE)).isNull();
        assertThat(ProcFs.ppid(GONE)).isNull();
        assertThat(ProcFs.exePath(GONE)).isNull();
    }
}

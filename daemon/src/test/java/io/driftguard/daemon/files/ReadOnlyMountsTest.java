package io.driftguard.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.daemon.kernel.ProcFs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadOnlyMountsTest {
    private static final String ROOT = "812 790 0:52 / / rw,relatime - overlay overlay rw,lowerdir=/l";

    @Test
    void aReadOnlyBindOfThePathOntoItselfIsAnEarlierRunsMountAndStackedOnesAreCounted() {
        List<ProcFs.Mount> once = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc ro,relatime - overlay overlay rw"));
        List<ProcFs.Mount> stacked = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc ro,relatime - overlay overlay rw",
                "901 900 0:52 /etc /etc ro,relatime - overlay overlay rw"));
        assertThat(ReadOnlyMounts.earlierMounts(once, "/etc")).isEqualTo(1);
        assertThat(ReadOnlyMounts.earlierMounts(stacked, "/etc")).isEqualTo(2);
        assertThat(ReadOnlyMounts.earlierMounts(stacked, "/usr")).isZero();
    }

    @Test
    void aVolumeOrAWritableBindIsNotProtectsMount() {
        List<ProcFs.Mount> volume = ProcFs.mountinfo(List.of(ROOT, "900 812 8:1 /vol /etc ro,relatime - ext4 /dev/sda1 rw"));
        List<ProcFs.Mount> writable = ProcFs.mountinfo(List.of(ROOT, "900 812 0:52 /etc /etc rw,relatime - overlay overlay rw"));
        assertThat(ReadOnlyMounts.earlierMounts(volume, "/etc")).isZero();
        assertThat(ReadOnlyMounts.earlierMounts(writable, "/etc")).isZero();
    }
}

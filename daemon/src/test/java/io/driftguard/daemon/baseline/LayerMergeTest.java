package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerMergeTest {

    private static LayerEntry file(String path, String sha) {
        return new LayerEntry(path, LayerEntry.Type.FILE, 0755, 0, 0, 1, 1, 1, sha, null, false);
    }

    private static LayerEntry dir(String path) {
        return LayerEntry.directory(path, false);
    }

    private static LayerEntry symlink(String path, String target) {
        return new LayerEntry(path, LayerEntry.Type.SYMLINK, 0777, 0, 0, 0, 0, 0, null, target, false);
    }

    @Test
    void whiteoutHidesTheFileAndEverythingBelowIt() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(dir("/usr"), dir("/usr/bin"), file("/usr/bin/nc", "a"), file("/usr/bin/cat", "b"), dir("/opt"),
                file("/opt/x", "c")));
        merge.apply(List.of(dir("/usr"), dir("/usr/bin"), LayerEntry.whiteout("/usr/bin/nc"), LayerEntry.whiteout("/opt")));
        assertThat(merge.view()).containsKeys("/usr/bin/cat").doesNotContainKeys("/usr/bin/nc", "/opt", "/opt/x");
    }

    @Test
    void opaqueDirectoryHidesLowerContentButKeepsItsOwn() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(dir("/etc"), file("/etc/old.conf", "a"), dir("/etc/sub"), file("/etc/sub/x", "b")));
        merge.apply(List.of(LayerEntry.directory("/etc", true), file("/etc/new.conf", "c")));
        assertThat(merge.view()).containsKeys("/etc", "/etc/new.conf").doesNotContainKeys("/etc/old.conf", "/etc/sub", "/etc/sub/x");
    }

    @Test
    void fileHidesLowerDirectoryAndDirectoryReplacesLowerSymlink() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(dir("/a"), file("/a/inner", "a"), symlink("/lib", "/usr/lib")));
        merge.apply(List.of(file("/a", "b"), dir("/lib"), file("/lib/libc.so", "c")));
        assertThat(merge.view().get("/a").type()).isEqualTo(LayerEntry.Type.FILE);
        assertThat(merge.view()).doesNotContainKey("/a/inner");
        assertThat(merge.view().get("/lib").type()).isEqualTo(LayerEntry.Type.DIRECTORY);
        assertThat(merge.view().get("/lib/libc.so").sha256()).isEqualTo("c");
    }

    @Test
    void upperFileReplacesLowerContent() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(dir("/bin"), file("/bin/busybox", "old")));
        merge.apply(List.of(dir("/bin"), file("/bin/busybox", "new")));
        assertThat(merge.view().get("/bin/busybox").sha256()).isEqualTo("new");
    }

    @Test
    void siblingWithCommonPrefixSurvivesWhiteout() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(dir("/opt"), file("/opt/a", "x"), dir("/opt-b"), file("/opt-b/c", "y")));
        merge.apply(List.of(LayerEntry.whiteout("/opt")));
        assertThat(merge.view()).containsKeys("/opt-b", "/opt-b/c").doesNotContainKeys("/opt", "/opt/a");
    }

    @Test
    void symlinkIsKeptAsAnEntryAndNeverFollowed() {
        LayerMerge merge = new LayerMerge();
        merge.apply(List.of(symlink("/escape", "../../../../etc"), dir("/etc"), file("/etc/passwd", "p")));
        merge.apply(List.of(LayerEntry.whiteout("/escape")));
        assertThat(merge.view()).containsKey("/etc/passwd").doesNotContainKey("/escape");
        assertThat(BaselineBuilder.regularFiles(merge)).containsOnlyKeys("/etc/passwd");
    }
}

package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileStat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageBaselineTest {
    private static final BaselineFile CAT = new BaselineFile("/usr/bin/cat", "aa", 100, 0755, 0, 0, 5_000, 6_000);
    private static final ImageBaseline BASELINE = new ImageBaseline(Digest.parse("sha256:" + "0".repeat(64)), "web:1",
            Map.of(CAT.path(), CAT, "/opt/app/old", new BaselineFile("/opt/app/old", "bb", 1, 0644, 0, 0, 1, 1)),
            Instant.EPOCH, 1);

    private static FileStat stat(long size, long mtime, long ctime) {
        return new FileStat(1, 2, size, 0100755, 0, 0, mtime, ctime, 3);
    }

    @Test
    void untouchedImageFileNeedsNoHash() {
        assertThat(BASELINE.judge("/usr/bin/cat", stat(100, 5_000, 6_000), null)).isEqualTo(ImageBaseline.Drift.UNCHANGED);
    }

    @Test
    void copiedUpFileOfSameSizeIsDecidedByContent() {
        FileStat copiedUp = stat(100, 5_000, 9_999);
        assertThat(BASELINE.judge("/usr/bin/cat", copiedUp, null)).isEqualTo(ImageBaseline.Drift.NEEDS_DIGEST);
        assertThat(BASELINE.judge("/usr/bin/cat", copiedUp, "aa")).isEqualTo(ImageBaseline.Drift.UNCHANGED);
        assertThat(BASELINE.judge("/usr/bin/cat", copiedUp, "cc")).isEqualTo(ImageBaseline.Drift.MODIFIED);
    }

    @Test
    void otherSizeIsModifiedAndUnknownPathIsAdded() {
        assertThat(BASELINE.judge("/usr/bin/cat", stat(99, 5_000, 9_999), null)).isEqualTo(ImageBaseline.Drift.MODIFIED);
        assertThat(BASELINE.judge("/tmp/nc", stat(100, 5_000, 6_000), "aa")).isEqualTo(ImageBaseline.Drift.ADDED);
    }

    @Test
    void diffListsAddedModifiedAndDeleted() {
        List<ContainerDiff.Change> changes = ContainerDiff.of(BASELINE, List.of(
                new LayerEntry("/usr/bin/cat", LayerEntry.Type.FILE, 0755, 0, 0, 100, 1, 1, "cc", null, false),
                new LayerEntry("/tmp/nc", LayerEntry.Type.FILE, 0755, 0, 0, 100, 1, 1, "aa", null, false),
                LayerEntry.directory("/opt/app", true)));
        assertThat(changes).extracting(ContainerDiff.Change::path, ContainerDiff.Change::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/opt/app/*", ContainerDiff.Kind.DELETED),
                org.assertj.core.groups.Tuple.tuple("/tmp/nc", ContainerDiff.Kind.ADDED),
                org.assertj.core.groups.Tuple.tuple("/usr/bin/cat", ContainerDiff.Kind.MODIFIED));
        assertThat(changes.get(1).newContent()).isTrue();
    }

    @Test
    void learningEndsAtTheDeadlineOrTheCount() {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        ProfileState byTime = new ProfileState(Digest.parse("sha256:" + "1".repeat(64)), "r", now, now.plusSeconds(60), null);
        assertThat(byTime.learning(now.plusSeconds(59), 1000)).isTrue();
        assertThat(byTime.learning(now.plusSeconds(60), 0)).isFalse();
        ProfileState byCount = new ProfileState(Digest.parse("sha256:" + "1".repeat(64)), "r", now, null, 3L);
        assertThat(byCount.learning(now, 2)).isTrue();
        assertThat(byCount.learning(now, 3)).isFalse();
        assertThat(new ProfileState(Digest.parse("sha256:" + "1".repeat(64)), "r", now, null, null).learning(now, 0)).isFalse();
    }
}

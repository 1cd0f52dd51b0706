package io.driftguard.daemon.baseline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What changed in a container's root file system against its image baseline, read from the
 * container's overlay upper directory on the host: files added, modified (other content, or
 * other mode or owner) and deleted (whiteouts, and what an opaque directory hides). Volumes and
 * tmpfs mounts are not part of the root file system and are not covered.
 */
public final class ContainerDiff {
    /** One changed path; hashes are null where there is no file (added: no image hash; deleted: no current one). */
    public record Change(String path, Kind kind, boolean executable, String imageSha256, String currentSha256, String note) {
        /** Whether the file now holds content that is not the image's at this path. */
        public boolean newContent() {
            return currentSha256 != null && !currentSha256.equals(imageSha256);
        }
    }

    public enum Kind {
        ADDED, MODIFIED, DELETED
    }

    private ContainerDiff() {
    }

    public static List<Change> of(ImageBaseline baseline, Path upperDir) throws IOException {
        return of(baseline, new OverlayLayerReader().read(upperDir));
    }

    static List<Change> of(ImageBaseline baseline, List<LayerEntry> upper) {
        List<Change> changes = new ArrayList<>();
        for (LayerEntry entry : upper) {
            switch (entry.type()) {
                case WHITEOUT -> deletedUnder(baseline, entry.path(), true, changes);
                case DIRECTORY -> {
                    if (entry.opaque()) {
                        deletedUnder(baseline, entry.path(), false, changes);
                    }
                }
                case FILE -> {
                    BaselineFile image = baseline.file(entry.path());
                    if (image == null) {
                        changes.add(new Change(entry.path(), Kind.ADDED, entry.isExecutable(), null, entry.sha256(), null));
                    } else if (!image.sha256().equals(entry.sha256())) {
                        changes.add(new Change(entry.path(), Kind.MODIFIED, entry.isExecutable(), image.sha256(), entry.sha256(),
                                "content"));
                    } else if (image.mode() != entry.mode() || image.uid() != entry.uid() || image.gid() != entry.gid()) {
                        changes.add(new Change(entry.path(), Kind.MODIFIED, entry.isExecutable(), image.sha256(), entry.sha256(),
                                "mode or owner"));
                    }
                }
                case SYMLINK -> changes.add(new Change(entry.path(), baseline.file(entry.path()) == null ? Kind.ADDED : Kind.MODIFIED,
                        false, null, null, "symlink to " + entry.linkTarget()));
                default -> { }
            }
        }
        changes.sort(Comparator.comparing(Change::path));
        return changes;
    }

    /**
     * Image files hidden by a whiteout ({@code itself}: the path too) or an opaque directory: a file
     * is listed with its hash, a directory once with the count of image files it held.
     */
    private static void deletedUnder(ImageBaseline baseline, String path, boolean itself, List<Change> changes) {
        BaselineFile file = baseline.file(path);
        if (itself && file != null) {
            changes.add(new Change(path, Kind.DELETED, file.isExecutable(), file.sha256(), null, null));
            return;
        }
        int count = 0;
        boolean executables = false;
        for (Map.Entry<String, BaselineFile> e : baseline.files().entrySet()) {
            if (LayerPath.isUnder(e.getKey(), path)) {
                count++;
                executables |= e.getValue().isExecutable();
            }
        }
        if (count > 0) {
            changes.add(new Change(itself ? path : path + "/*", Kind.DELETED, executables, null, null,
                    "directory: " + count + " image files"));
        }
    }
}

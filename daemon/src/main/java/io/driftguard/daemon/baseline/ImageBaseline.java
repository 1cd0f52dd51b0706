package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileStat;
import java.time.Instant;
import java.util.Map;

/**
 * The regular files of one image, in memory, for exec decisions: a look-up by path and a compare of
 * size, mtime and ctime decide most execs; only a file whose attributes changed needs its sha256.
 */
public final class ImageBaseline {
    private final Digest imageId;
    private final String imageRef;
    private final Map<String, BaselineFile> files;
    private final Instant builtAt;
    private final long buildMillis;

    public ImageBaseline(Digest imageId, String imageRef, Map<String, BaselineFile> files, Instant builtAt, long buildMillis) {
        this.imageId = imageId;
        this.imageRef = imageRef;
        this.files = Map.copyOf(files);
        this.builtAt = builtAt;
        this.buildMillis = buildMillis;
    }

    /** How an executed file relates to the image. */
    public enum Drift {
        /** The image's own file, untouched. */
        UNCHANGED,
        /** Attributes differ from the image's file: only the content can tell. */
        NEEDS_DIGEST,
        /** Not in the image at this path: created after the container started. */
        ADDED,
        /** At an image path but with other content: overwritten after the container started. */
        MODIFIED
    }

    /** Judges an exec of {@code path}; {@code sha256} is null when not computed (yet). */
    public Drift judge(String path, FileStat stat, String sha256) {
        BaselineFile known = files.get(path);
        if (known == null) {
            return Drift.ADDED;
        }
        if (stat.size() == known.size() && stat.mtimeNanos() == known.mtimeNanos() && stat.ctimeNanos() == known.ctimeNanos()) {
            return Drift.UNCHANGED;
        }
        if (sha256 == null) {
            return stat.size() == known.size() ? Drift.NEEDS_DIGEST : Drift.MODIFIED;
        }
        return sha256.equals(known.sha256()) ? Drift.UNCHANGED : Drift.MODIFIED;
    }

    public BaselineFile file(String path) {
        return files.get(path);
    }

    public Map<String, BaselineFile> files() {
        return files;
    }

    public Digest imageId() {
        return imageId;
    }

    public String imageRef() {
        return imageRef;
    }

    public Instant builtAt() {
        return builtAt;
    }

    public long buildMillis() {
        return buildMillis;
    }

    public long executables() {
        return files.values().stream().filter(BaselineFile::isExecutable).count();
    }
}

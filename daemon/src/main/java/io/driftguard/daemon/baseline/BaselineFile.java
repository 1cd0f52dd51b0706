package io.driftguard.daemon.baseline;

/**
 * A regular file of an image as built: where it is, what it holds, and the size and times the
 * host-side layer file has. overlayfs shows a file that was never copied up with exactly those
 * size, mtime and ctime; ctime cannot be set from user space, so a match means "untouched".
 */
public record BaselineFile(String path, String sha256, long size, int mode, int uid, int gid, long mtimeNanos,
                           long ctimeNanos) {

    public boolean isExecutable() {
        return (mode & 0111) != 0;
    }

    static BaselineFile of(LayerEntry entry) {
        return new BaselineFile(entry.path(), entry.sha256(), entry.size(), entry.mode(), entry.uid(), entry.gid(),
                entry.mtimeNanos(), entry.ctimeNanos());
    }
}

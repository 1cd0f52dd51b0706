package io.driftguard.daemon.baseline;

/**
 * One entry of an image layer, as overlayfs sees it. {@code path} is normalised ("/etc/passwd");
 * {@code sha256} is set for regular files (each name of a hard-linked file is a file of its own);
 * {@code linkTarget} is a symlink's text; {@code opaque} marks a directory that hides what lower
 * layers hold below it.
 */
record LayerEntry(String path, Type type, int mode, int uid, int gid, long size, long mtimeNanos, long ctimeNanos,
                  String sha256, String linkTarget, boolean opaque) {

    enum Type {
        FILE, DIRECTORY, SYMLINK, WHITEOUT, OTHER
    }

    static LayerEntry directory(String path, boolean opaque) {
        return new LayerEntry(path, Type.DIRECTORY, 0755, 0, 0, 0, 0, 0, null, null, opaque);
    }

    static LayerEntry whiteout(String path) {
        return new LayerEntry(path, Type.WHITEOUT, 0, 0, 0, 0, 0, 0, null, null, false);
    }

    boolean isExecutable() {
        return (mode & 0111) != 0;
    }
}

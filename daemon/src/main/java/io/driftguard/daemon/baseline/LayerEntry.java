package io.driftguard.daemon.baseline;

/**
 * One entry of an image layer, as overlayfs sees it. {@code path} is normalised ("/etc/passwd");
 * {@code sha256} is set for regular files; {@code linkTarget} is a symlink's text or, for a hard
 * link, the layer path it links to; {@code opaque} marks a directory that hides what lower layers
 * hold below it.
 */
record LayerEntry(String path, Type type, int mode, int uid, int gid, long size, long mtimeNanos, long ctimeNanos,
                  String sha256, String linkTarget, boolean opaque) {

    enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, WHITEOUT, OTHER
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

    /** The same file content and attributes under another path (a hard link's second name). */
    LayerEntry at(String otherPath) {
        return new LayerEntry(otherPath, type, mode, uid, gid, size, mtimeNanos, ctimeNanos, sha256, linkTarget, opaque);
    }
}

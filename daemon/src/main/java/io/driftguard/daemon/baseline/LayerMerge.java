package io.driftguard.daemon.baseline;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Stacks layers the way overlayfs does, bottom first: a whiteout hides the path and all below it,
 * an opaque directory hides everything lower layers hold below it, a non-directory hides a lower
 * directory with its contents, and a directory replaces a lower file or symlink at its path. Nothing
 * is ever resolved through a symlink: symlinks are kept as entries, never followed.
 */
final class LayerMerge {
    private final NavigableMap<String, LayerEntry> view = new TreeMap<>();

    /** Applies one layer on top of what is merged so far. */
    void apply(List<LayerEntry> layer) {
        // Hiding first, so that entries of this layer are never hidden by markers of the same layer.
        for (LayerEntry entry : layer) {
            if (entry.type() == LayerEntry.Type.WHITEOUT) {
                removeTree(entry.path(), true);
            } else if (entry.type() == LayerEntry.Type.DIRECTORY && entry.opaque()) {
                removeTree(entry.path(), false);
            }
        }
        for (LayerEntry entry : layer) {
            if (entry.type() != LayerEntry.Type.WHITEOUT) {
                put(entry);
            }
        }
    }

    NavigableMap<String, LayerEntry> view() {
        return view;
    }

    private void put(LayerEntry entry) {
        replaceNonDirectoryParents(entry.path());
        LayerEntry lower = view.get(entry.path());
        if (lower != null && lower.type() == LayerEntry.Type.DIRECTORY && entry.type() != LayerEntry.Type.DIRECTORY) {
            removeTree(entry.path(), false);
        }
        view.put(entry.path(), entry);
    }

    /** A layer that holds a/b has a real directory a, which hides a lower file or symlink named a. */
    private void replaceNonDirectoryParents(String path) {
        for (String dir = LayerPath.parent(path); !dir.equals("/"); dir = LayerPath.parent(dir)) {
            LayerEntry existing = view.get(dir);
            if (existing != null && existing.type() != LayerEntry.Type.DIRECTORY) {
                view.put(dir, LayerEntry.directory(dir, false));
            }
        }
    }

    private void removeTree(String path, boolean includingItself) {
        if (includingItself) {
            view.remove(path);
        }
        view.subMap(path + "/", true, path + "0", false).clear(); // '0' sorts right after '/'
    }
}

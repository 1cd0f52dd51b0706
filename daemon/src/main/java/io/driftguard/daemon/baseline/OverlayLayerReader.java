package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileKey;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.XAttr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one overlay2 layer directory from the host side ({@code .../overlay2/ID/diff}) as
 * overlayfs will present it: a character device 0:0 is a whiteout, a directory with the xattr
 * {@code trusted.overlay.opaque} (or {@code user.overlay.opaque}) = "y" is opaque. Symlinks are
 * never followed; each inode is hashed once, however many names (hard links) it has.
 */
final class OverlayLayerReader {
    private final Map<FileKey, String> hashed = new HashMap<>();

    /** Every entry of the layer rooted at {@code dir}, parents before children. */
    List<LayerEntry> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("layer directory " + dir + " is missing or not a directory");
        }
        List<LayerEntry> entries = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!d.equals(dir)) {
                    add(dir, d, entries);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(dir, file, entries);
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private void add(Path root, Path file, List<LayerEntry> entries) throws IOException {
        String path = LayerPath.normalize(root.relativize(file).toString())
                .orElseThrow(() -> new IOException("unusable path in layer " + root + ": " + file));
        FileStat stat = FileStat.ofLink(file.toString());
        int type = stat.mode() & LibC.S_IFMT;
        int perms = stat.mode() & 07777;
        LayerEntry entry = switch (type) {
            case LibC.S_IFDIR -> new LayerEntry(path, LayerEntry.Type.DIRECTORY, perms, stat.uid(), stat.gid(), 0, 0, 0,
                    null, null, isOpaque(file));
            case LibC.S_IFLNK -> new LayerEntry(path, LayerEntry.Type.SYMLINK, perms, stat.uid(), stat.gid(), 0, 0, 0,
                    null, Files.readSymbolicLink(file).toString(), false);
            case LibC.S_IFREG -> new LayerEntry(path, LayerEntry.Type.FILE, perms, stat.uid(), stat.gid(), stat.size(),
                    stat.mtimeNanos(), stat.ctimeNanos(), sha256(file, stat), null, false);
            case LibC.S_IFCHR -> isWhiteout(file) ? LayerEntry.whiteout(path)
                    : new LayerEntry(path, LayerEntry.Type.OTHER, perms, stat.uid(), stat.gid(), 0, 0, 0, null, null, false);
            default -> new LayerEntry(path, LayerEntry.Type.OTHER, perms, stat.uid(), stat.gid(), 0, 0, 0, null, null, false);
        };
        entries.add(entry);
    }

    private static boolean isWhiteout(Path file) throws IOException {
        Object rdev = Files.getAttribute(file, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return rdev instanceof Long value && value == 0L;
    }

    private static boolean isOpaque(Path dir) {
        return "y".equals(XAttr.get(dir.toString(), "trusted.overlay.opaque"))
                || "y".equals(XAttr.get(dir.toString(), "user.overlay.opaque"));
    }

    private String sha256(Path file, FileStat stat) throws IOException {
        String known = hashed.get(stat.key());
        if (known != null) {
            return known;
        }
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        String digest;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            digest = Digest.sha256(in).hex();
        }
        hashed.put(stat.key(), digest);
        return digest;
    }
}

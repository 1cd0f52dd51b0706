package io.driftguard.scan.layer;

import io.driftguard.scan.net.Printable;
import java.util.ArrayList;
import java.util.List;

/** Tar paths are never trusted: each is made relative to the image root, and one leaving it is refused. */
public final class SafePath {
    private SafePath() {
    }

    /** {@code ./etc/passwd}, {@code /etc/passwd}, {@code etc//passwd} all become {@code etc/passwd}. */
    public static String of(String raw) throws HostileTarException {
        if (raw.indexOf('\0') >= 0) {
            throw new HostileTarException("tar path with a NUL byte");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new HostileTarException("tar path '" + Printable.of(raw) + "' leaves the image root");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /**
     * Where a symlink at {@code path} points, resolved lexically inside the root ({@code ..} stops
     * at the root, as the kernel does under a chroot); never outside it.
     */
    public static String resolveLink(String path, String target) {
        List<String> parts = new ArrayList<>();
        if (!target.startsWith("/")) {
            String[] dir = path.split("/");
            for (int i = 0; i < dir.length - 1; i++) {
                parts.add(dir[i]);
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }
}

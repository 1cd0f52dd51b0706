package io.driftguard.daemon.baseline;

import java.util.Optional;

/**
 * Paths as they appear in an image layer, checked before use: a layer is input from whoever built
 * the image, so "..", empty or "." elements and NUL bytes are refused rather than resolved.
 */
final class LayerPath {
    private LayerPath() {
    }

    /** "/a/b" for "a/b", "./a/b/" or "/a/b"; empty for anything that could point outside the image. */
    static Optional<String> normalize(String raw) {
        if (raw == null || raw.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String text = raw.startsWith("./") ? raw.substring(2) : raw;
        while (text.startsWith("/")) {
            text = text.substring(1);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (String element : text.split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of("/" + text);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static boolean isUnder(String path, String dir) {
        return dir.equals("/") || path.startsWith(dir + "/");
    }
}

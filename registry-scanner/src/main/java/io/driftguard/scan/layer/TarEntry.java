package io.driftguard.scan.layer;

/**
 * One tar header, with its path already made safe: relative to the image root, no {@code .} or
 * {@code ..} parts, no leading slash. {@code link} is the raw link target (never followed).
 */
public record TarEntry(String path, Type type, long size, int mode, String link) {
    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    public boolean setuidOrSetgid() {
        return type == Type.FILE && (mode & 06000) != 0;
    }
}

package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/** Extended attributes of a path, read without following a final symlink. */
public final class XAttr {
    private XAttr() {
    }

    /** A short attribute's value (at most 64 bytes), or null when the file has no such attribute. */
    public static String get(String path, String name) {
        Memory buf = new Memory(64);
        try {
            long n = LibC.INSTANCE.lgetxattr(path, name, buf, buf.size());
            return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
        } catch (LastErrorException absent) {
            return null;
        }
    }
}

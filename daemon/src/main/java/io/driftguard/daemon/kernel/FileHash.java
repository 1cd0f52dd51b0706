package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 of an open file, read with pread so that the descriptor's offset is left alone. */
public final class FileHash {
    private static final int CHUNK = 256 * 1024;

    private FileHash() {
    }

    public static String sha256(int fd) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        Memory buf = new Memory(CHUNK);
        byte[] bytes = new byte[CHUNK];
        long offset = 0;
        while (true) {
            long n;
            try {
                n = LibC.INSTANCE.pread(fd, buf, CHUNK, offset);
            } catch (LastErrorException e) {
                throw NativeCall.failure("pread", "fd " + fd, e);
            }
            if (n <= 0) {
                return HexFormat.of().formatHex(digest.digest());
            }
            buf.read(0, bytes, 0, (int) n);
            digest.update(bytes, 0, (int) n);
            offset += n;
        }
    }
}

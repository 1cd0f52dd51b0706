package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open file read from its start with pread(2), so that the descriptor's own offset is left
 * alone (an exec permission event's fd is the one the kernel goes on to execute). Closing it
 * leaves the descriptor open: its owner closes it.
 */
public final class FdInputStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final int fd;
    private final Memory buf = new Memory(CHUNK);
    private long offset;

    public FdInputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        long n;
        try {
            n = LibC.INSTANCE.pread(fd, buf, Math.min(len, CHUNK), offset);
        } catch (LastErrorException e) {
            throw NativeCall.failure("pread", "fd " + fd, e);
        }
        if (n <= 0) {
            return -1;
        }
        buf.read(0, b, off, (int) n);
        offset += n;
        return (int) n;
    }
}

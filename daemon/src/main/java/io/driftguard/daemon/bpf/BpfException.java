package io.driftguard.daemon.bpf;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.driftguard.daemon.kernel.LibBpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A failed libbpf or kernel call, naming the call, its target and the error text. */
public final class BpfException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    BpfException(String call, String target, int errno, String extra) {
        super(call + "(" + target + ") failed: " + strerror(errno) + " (errno " + errno + ")" + extra);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** libbpf 1.x int results: negative errno on failure. */
    static int check(int result, String call, String target) throws BpfException {
        if (result < 0) {
            throw new BpfException(call, target, -result, "");
        }
        return result;
    }

    /** libbpf 1.x pointer results: NULL with errno set on failure. */
    static Pointer check(Pointer result, String call, String target) throws BpfException {
        if (result == null) {
            throw new BpfException(call, target, Native.getLastError(), "");
        }
        return result;
    }

    /** libbpf's strerror knows its own error codes (LIBBPF_ERRNO__*) besides the kernel's. */
    static String strerror(int errno) {
        byte[] buf = new byte[256];
        LibBpf.INSTANCE.libbpf_strerror(errno, buf, new NativeLong(buf.length));
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }
}

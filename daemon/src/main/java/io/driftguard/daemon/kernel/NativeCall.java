package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;

/** Turns native failures into IOExceptions that say which call failed, on what, and why. */
public final class NativeCall {
    private NativeCall() {
    }

    public static IOException failure(String call, String target, LastErrorException e) {
        return new ErrnoException(call + "(" + target + "): " + strerror(e.getErrorCode()), e.getErrorCode(), e);
    }

    public static String strerror(int errno) {
        return LibCStrings.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }

    /** An IOException that keeps errno, for callers that react to one (ENOENT, ESRCH). */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String message, int errno, Throwable cause) {
            super(message, cause);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** strerror lives apart so that LibC stays a list of the calls enforcement makes. */
    interface LibCStrings extends com.sun.jna.Library {
        LibCStrings INSTANCE = Native.load("c", LibCStrings.class);

        String strerror(int errnum);
    }
}

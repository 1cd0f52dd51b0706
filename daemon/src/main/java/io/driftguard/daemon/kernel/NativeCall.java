package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/** The one place native failures become IOExceptions that say which call failed, on what, and why. */
public final class NativeCall {
    private NativeCall() {
    }

    public static IOException failure(String call, String target, LastErrorException e) {
        return new IOException(call + "(" + target + "): " + strerror(e.getErrorCode()), e);
    }

    public static String strerror(int errno) {
        return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }
}

package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;

/** Signals to processes. */
public final class Processes {
    public static final int SIGHUP = 1;

    private Processes() {
    }

    /** Sends {@code signal}; the error names the process. */
    public static void signal(int pid, int signal) throws java.io.IOException {
        try {
            LibC.INSTANCE.kill(pid, signal);
        } catch (LastErrorException e) {
            throw NativeCall.failure("kill", "pid " + pid + ", signal " + signal, e);
        }
    }

    /** SIGKILL; returns false when the process was already gone. */
    public static boolean kill(int pid) {
        try {
            LibC.INSTANCE.kill(pid, LibC.SIGKILL);
            return true;
        } catch (LastErrorException gone) {
            return false;
        }
    }
}

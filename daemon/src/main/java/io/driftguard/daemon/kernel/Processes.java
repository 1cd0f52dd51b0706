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
        return delivered(pid, LibC.SIGKILL);
    }

    /** SIGCONT (resumes a stopped process); returns false when the process was already gone. */
    public static boolean resume(int pid) {
        return delivered(pid, LibC.SIGCONT);
    }

    private static boolean delivered(int pid, int signal) {
        try {
            LibC.INSTANCE.kill(pid, signal);
            return true;
        } catch (LastErrorException gone) {
            return false;
        }
    }
}

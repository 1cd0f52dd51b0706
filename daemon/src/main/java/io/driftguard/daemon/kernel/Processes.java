package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;

/** Signals to processes. */
public final class Processes {
    private Processes() {
    }

    /** SIGKILL; returns false when the process was already gone. */
    public static boolean kill(int pid) {
        return signal(pid, LibC.SIGKILL);
    }

    /** SIGCONT (resumes a stopped process); returns false when the process was already gone. */
    public static boolean resume(int pid) {
        return signal(pid, LibC.SIGCONT);
    }

    private static boolean signal(int pid, int signal) {
        try {
            LibC.INSTANCE.kill(pid, signal);
            return true;
        } catch (LastErrorException gone) {
            return false;
        }
    }
}

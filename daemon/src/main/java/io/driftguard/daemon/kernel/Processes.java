package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;

/** Signals to processes. */
public final class Processes {
    private Processes() {
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

package io.driftguard.daemon.hook;

/** Attaches a container's enforcement before its first exec, or says that no policy selects it. */
public interface StartGate {
    StartAnswer beforeStart(StartRequest request);

    /** The hook went away before the answer (it timed out): the container may never start. */
    void abandoned(StartRequest request);
}

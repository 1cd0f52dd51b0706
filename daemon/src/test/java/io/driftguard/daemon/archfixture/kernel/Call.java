package io.driftguard.daemon.archfixture.kernel;

/** A kernel binding, which may use JNA. */
public class Call {
    public com.sun.jna.Pointer pointer;
}

package io.driftguard.daemon.archfixture.files;

import com.sun.jna.Pointer;

/** files calling native code itself: native bindings live in kernel and bpf. */
public class Native {
    public Pointer buffer;
}

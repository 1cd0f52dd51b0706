package io.driftguard.daemon.bpf;

/** The errno values this package tells apart (asm-generic/errno-base.h). */
final class Errno {
    static final int ENOENT = 2;
    static final int EINTR = 4;

    private Errno() {
    }
}

package io.driftguard.daemon.bpf;

/**
 * How the exec program recognised an exec: the twin of {@code enum dg_how} in driftguard.h (the
 * codes are checked by StructLayoutTest). {@link #label} is what events say.
 */
public enum ExecMethod {
    FILE_NAME(DriftguardH.DG_HOW_FILE_NAME, "file name"),
    ARGV0(DriftguardH.DG_HOW_ARGV0, "argv[0]"),
    BUSYBOX_APPLET(DriftguardH.DG_HOW_BUSYBOX_APPLET, "busybox applet"),
    LOADER_ARG(DriftguardH.DG_HOW_LOADER_ARG, "loader"),
    MEMFD(DriftguardH.DG_HOW_MEMFD, "memfd"),
    DELETED(DriftguardH.DG_HOW_DELETED, "deleted file"),
    LOADER(DriftguardH.DG_HOW_LOADER, "loader"),
    NEW_MOUNT(DriftguardH.DG_HOW_NEW_MOUNT, "new mount");

    private final int code;
    private final String label;

    ExecMethod(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Null for a code this build does not know. */
    static ExecMethod of(int code) {
        for (ExecMethod method : values()) {
            if (method.code == code) {
                return method;
            }
        }
        return null;
    }
}

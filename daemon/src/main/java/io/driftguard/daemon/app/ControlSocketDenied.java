package io.driftguard.daemon.app;

import java.io.IOException;
import java.nio.file.Path;

/** The control socket is there but owner-only (0600, root): the caller is not allowed, which is not "not running". */
public final class ControlSocketDenied extends IOException {
    public ControlSocketDenied(Path socket, Throwable cause) {
        super("permission denied on " + socket + ": run as root", cause);
    }
}

package io.driftguard.scan.layer;

import java.io.IOException;

/** A layer tar that breaks a limit or the format in a way that stops reading it; becomes a finding. */
public final class HostileTarException extends IOException {
    public HostileTarException(String message) {
        super(message);
    }
}

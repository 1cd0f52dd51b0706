package io.driftguard.daemon.dockersetup;

/** Setup or undo cannot go on; the message says why and what to do. Nothing has been changed. */
public final class SetupException extends Exception {
    public SetupException(String message) {
        super(message);
    }
}

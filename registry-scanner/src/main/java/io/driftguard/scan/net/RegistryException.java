package io.driftguard.scan.net;

/**
 * A request to a registry failed or its answer was unusable; the message names the URL and why,
 * with any URL's user information redacted.
 */
public class RegistryException extends Exception {
    private final int status;

    public RegistryException(String message) {
        this(message, 0, null);
    }

    public RegistryException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public RegistryException(String message, int status, Throwable cause) {
        super(Redacted.of(message), cause);
        this.status = status;
    }

    /** The HTTP status that caused this, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}

package io.driftguard.scan.registry;

/** Manifest bytes that cannot be used: not JSON, an unknown media type, a bad descriptor. */
public final class MalformedManifestException extends Exception {
    public MalformedManifestException(String message) {
        super(message);
    }
}

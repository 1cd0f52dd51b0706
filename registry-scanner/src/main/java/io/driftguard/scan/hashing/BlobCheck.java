package io.driftguard.scan.hashing;

import io.driftguard.core.model.Digest;

/**
 * What re-hashing one blob found: {@code actual} and {@code bytes} as streamed from the registry.
 * A blob longer than its descriptor is read only to one byte past the expected size.
 */
public record BlobCheck(Digest expected, long expectedSize, Digest actual, long bytes) {

    public boolean intact() {
        return expected.equals(actual) && bytes == expectedSize;
    }

    /** What was found, for a tamper finding. */
    public String problem() {
        if (bytes != expectedSize) {
            return bytes > expectedSize
                    ? "the registry sent more than the " + expectedSize + " bytes its descriptor gives"
                    : "the registry sent " + bytes + " bytes, its descriptor gives " + expectedSize;
        }
        return "content hashes to " + actual;
    }
}

package io.driftguard.scan.hashing;

import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Streams bytes through the digest's algorithm, never holding more than one buffer in memory. */
public final class BlobHasher {
    private static final int BUFFER = 256 * 1024;

    private BlobHasher() {
    }

    /** Hashes at most {@code expectedSize + 1} bytes: enough to tell that a blob is too long. */
    public static BlobCheck check(InputStream in, Digest expected, long expectedSize) throws IOException {
        MessageDigest hasher = expected.newHasher();
        byte[] buffer = new byte[BUFFER];
        long limit = expectedSize + 1;
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            hasher.update(buffer, 0, n);
            total += n;
        }
        return new BlobCheck(expected, expectedSize, Digest.of(expected.algorithm(), hasher.digest()), total);
    }
}

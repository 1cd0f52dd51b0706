package io.driftguard.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:encoded} as the OCI image spec defines it (descriptor.md,
 * "Digests"). Only the registered algorithms sha256 and sha512 are accepted, with their exact
 * lower-case hex lengths, because a digest from a registry is later used as an allow-list entry.
 */
public record Digest(String algorithm, String hex) {
    /** Registered algorithms, with the JDK name and the hex length of their output. */
    private static final Map<String, Algorithm> ALGORITHMS = Map.of(
            "sha256", new Algorithm("SHA-256", 64),
            "sha512", new Algorithm("SHA-512", 128));
    private static final Pattern HEX = Pattern.compile("[a-f0-9]+");
    /** The algorithm name of SHA-256 digests. */
    public static final String SHA256 = "sha256";
    private static final int STREAM_BUFFER = 64 * 1024;

    private record Algorithm(String jdkName, int hexLength) {
    }

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        Algorithm known = ALGORITHMS.get(algorithm);
        if (known == null) {
            throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "' (known: sha256, sha512)");
        }
        if (hex.length() != known.hexLength() || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(algorithm + " digest must be " + known.hexLength()
                    + " lower-case hex characters, not '" + abbreviate(hex) + "'");
        }
    }

    /** Parses {@code sha256:<64 hex>}; throws IllegalArgumentException saying what is wrong. */
    public static Digest parse(String text) {
        Objects.requireNonNull(text, "digest");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a digest (algorithm:hex): '" + abbreviate(text) + "'");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The SHA-256 digest of some bytes. This and {@link #sha256(InputStream)} are the one place
     * both programs hash content (image files, exec targets, registry blobs).
     */
    public static Digest sha256(byte[] bytes) {
        return of(SHA256, hasher(SHA256).digest(bytes));
    }

    /** The SHA-256 digest of everything left in {@code in}, which stays open. */
    public static Digest sha256(InputStream in) throws IOException {
        MessageDigest hasher = hasher(SHA256);
        byte[] buf = new byte[STREAM_BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) {
            hasher.update(buf, 0, n);
        }
        return of(SHA256, hasher.digest());
    }

    /** A fresh SHA-256 hasher, for content hashed piece by piece; {@link #of} makes its output a digest. */
    public static MessageDigest sha256Hasher() {
        return hasher(SHA256);
    }

    /** A digest from the raw output of the named algorithm's hash. */
    public static Digest of(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** A fresh hasher for this digest's algorithm, to re-hash content claimed to have this digest. */
    public MessageDigest newHasher() {
        return hasher(algorithm);
    }

    private static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(ALGORITHMS.get(algorithm).jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The first 12 hex characters, as people quote digests. */
    public String shortForm() {
        return algorithm + ":" + hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}

package io.driftguard.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A store file written by release 0.1.0 (before the store seam: {@code schema_migrations}, one
 * SQLite connection per store), for the tests that upgrade it. It was made with that release's
 * EventStore, ScannerStore and BaselineStore and holds, at 2026-11-30T10:00Z:
 * <ul>
 * <li>events: a blocked shell (process, host-a, web-1, /bin/sh by uid 33, policy no-shells) and a
 *     registry alert one minute later (details tag, digest);
 * <li>scanner: tag 127.0.0.1:5000/team/app:1 first at sha256:11.. (an index, approved, with
 *     platforms linux/amd64 sha256:33.., linux/arm64 sha256:44..), an hour later at sha256:22..;
 *     sha256:55.. (1234 bytes) verified; one finished run (1 tag, 1 drift);
 * <li>baselines: image sha256:ab.. (nginx:1.27) with /usr/sbin/nginx and /etc/nginx/nginx.conf, a
 *     profile learning for an hour with /usr/sbin/nginx (uid 0) and /bin/sh (uid 33, no sha256).
 * </ul>
 */
public final class ReleasedStore {
    public static final String IMAGE = "sha256:" + "ab".repeat(32);

    private ReleasedStore() {
    }

    /** A private copy of the store in {@code dir}, as an upgraded host has it. */
    public static Path copyTo(Path dir) throws IOException {
        Path file = dir.resolve("driftguard.db");
        try (InputStream in = ReleasedStore.class.getResourceAsStream("store-0.1.0.db")) {
            Files.copy(in, file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}

package io.driftguard.scan.store;

import java.time.Instant;

/** One {@code db import}: the file or folder, its sha256 (of the file; of the sorted file list for a folder), what it held. */
public record ImportRecord(String source, String sha256, Instant imported, long advisories, Instant newestModified,
                           String ecosystems) {
}

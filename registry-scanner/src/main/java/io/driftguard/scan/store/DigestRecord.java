package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.time.Instant;

/** One digest a tag has pointed to, with when it was first and last seen there. */
public record DigestRecord(Digest digest, String mediaType, Instant firstSeen, Instant lastSeen,
                           boolean current, boolean approved) {
}

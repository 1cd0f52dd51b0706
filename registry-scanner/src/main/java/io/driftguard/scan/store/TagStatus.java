package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * A tag's line in {@code status}, as of {@code asOf}: where it points, its last approval (which
 * may have expired), when it was last seen, and its open findings: drift (from which digest,
 * since when) stays open until the tag is approved again, tamper until its content verifies intact.
 */
public record TagStatus(TagKey key, Optional<Digest> current, Optional<Approval> approval, Instant asOf, Instant lastSeen,
                        Optional<Open<Digest>> drift, Optional<Open<String>> tamper) {

    /** An open finding: what it is about and since when. */
    public record Open<T>(T what, Instant since) {
    }

    /** The approved digest; an expired approval counts as none. */
    public Optional<Digest> approved() {
        return approval.filter(a -> a.activeAt(asOf)).map(Approval::digest);
    }

    /** Whether the last approval has expired. */
    public boolean approvalExpired() {
        return approval.isPresent() && !approval.get().activeAt(asOf);
    }

    /** Not at the approved digest, or moved since it was last approved (or, with none approved, since first seen). */
    public boolean drifted() {
        return drift.isPresent() || current.isPresent() && approved().isPresent() && !current.equals(approved());
    }

    public boolean tampered() {
        return tamper.isPresent();
    }
}

package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * A tag's approval as recorded: the digest, when and by whom ({@code by} is empty for approvals
 * made before the store recorded it), and until when it counts (empty: until approved again).
 */
public record Approval(Digest digest, Instant at, Optional<String> by, Optional<Instant> expires) {

    /** Whether it still counts at {@code now}: an expired approval is as none. */
    public boolean activeAt(Instant now) {
        return expires.isEmpty() || expires.get().isAfter(now);
    }
}

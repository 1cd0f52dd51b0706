package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.time.Instant;
import java.util.Optional;

/** A tag's line in {@code status}: where it points, what is approved, and when it was last seen. */
public record TagStatus(TagKey key, Optional<Digest> current, Optional<Digest> approved, Instant lastSeen) {
    public boolean drifted() {
        return current.isPresent() && approved.isPresent() && !current.equals(approved);
    }
}

package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.util.Optional;

/** The digest a tag had at the last scan and the digest approved for it, either possibly unknown. */
public record TagState(Optional<Digest> current, Optional<Digest> approved) {
    public static final TagState NEW = new TagState(Optional.empty(), Optional.empty());

    /** What the current digest is compared with: the approved one, else the last one seen. */
    public Optional<Digest> reference() {
        return approved.or(() -> current);
    }
}

package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import java.util.Optional;

/**
 * The digest a tag had at the last scan and the digest approved for it, either possibly unknown,
 * and whether tamper found under it is still open.
 */
public record TagState(Optional<Digest> current, Optional<Digest> approved, boolean tamperOpen) {
    public static final TagState NEW = new TagState(Optional.empty(), Optional.empty());

    /** A tag with no open tamper. */
    public TagState(Optional<Digest> current, Optional<Digest> approved) {
        this(current, approved, false);
    }

    /** What the current digest is compared with: the approved one, else the last one seen. */
    public Optional<Digest> reference() {
        return approved.or(() -> current);
    }
}

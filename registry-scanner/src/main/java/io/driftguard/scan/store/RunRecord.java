package io.driftguard.scan.store;

import java.time.Instant;
import java.util.Optional;

/** One scan run as kept in the store, for {@code status}. */
public record RunRecord(long id, Instant started, Optional<Instant> finished, long tags, long drift, long tamper,
                        long errors) {
}

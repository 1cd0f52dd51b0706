package io.driftguard.scan.config;

import io.driftguard.core.model.Digest;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One {@code [[scan.ignore]]} table: findings of advisory {@code id} (or any alias of it), or every
 * finding of image {@code digest}, are left out of reports and exit codes until {@code expires}
 * (a date, inclusive); {@code reason} is shown wherever the ignore applies.
 */
public record Ignore(Optional<String> id, Optional<Digest> digest, String reason, LocalDate expires) {
    public boolean activeOn(LocalDate day) {
        return !day.isAfter(expires);
    }
}

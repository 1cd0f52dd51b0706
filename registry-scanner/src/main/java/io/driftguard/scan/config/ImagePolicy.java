package io.driftguard.scan.config;

import io.driftguard.core.event.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What image scans report and how they end: {@code failOn} (exit 1 for a finding at or above it;
 * empty for "none"), {@code maxDbAge} (an older advisory database is a warning in every report), the ignores.
 */
public record ImagePolicy(Optional<Severity> failOn, Duration maxDbAge, List<Ignore> ignores) {
    public ImagePolicy {
        ignores = List.copyOf(ignores);
    }

    public boolean fails(Severity severity) {
        return failOn.isPresent() && severity.compareTo(failOn.get()) <= 0;
    }
}

package io.driftguard.core.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A point in time as the command lines take it: a duration from now (10m, 2h, 7d; back for
 * {@code --since}, ahead for an approval's {@code --expires}) or an ISO 8601 time, with Z or an
 * offset, or else in the local time zone (2026-12-01T23:04:05, 2026-12-01 23:04, 2026-12-01 for
 * its midnight).
 */
public final class PointInTime {
    private PointInTime() {
    }

    /** {@code ahead}: a duration counts forward from {@code now}, else back. A text of neither form is an IllegalArgumentException. */
    public static Instant parse(String text, Instant now, ZoneId zone, boolean ahead) {
        Optional<Duration> duration = Durations.parse(text);
        if (duration.isPresent()) {
            return ahead ? now.plus(duration.get()) : now.minus(duration.get());
        }
        String iso = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // Try the local forms.
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocal) {
            // Try a date.
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a duration " + (ahead ? "from now" : "back from now")
                    + " (30s, 10m, 2h, 7d) nor an ISO time (2026-12-01T23:04:05 local, 2026-12-01T22:04:05Z, 2026-12-01)");
        }
    }
}

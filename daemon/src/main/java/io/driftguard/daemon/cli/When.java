package io.driftguard.daemon.cli;

import io.driftguard.core.config.Durations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as {@code --since} and {@code --until} take it: a duration back from now (10m,
 * 2h, 7d) or an ISO 8601 time, with Z or an offset, or else in the local time zone
 * (2026-12-01T23:04:05, 2026-12-01 23:04, 2026-12-01 for its midnight).
 */
final class When implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
        return parse(text, Instant.now(), ZoneId.systemDefault());
    }

    static Instant parse(String text, Instant now, ZoneId zone) {
        Optional<java.time.Duration> ago = Durations.parse(text);
        if (ago.isPresent()) {
            return now.minus(ago.get());
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
            throw new TypeConversionException("'" + text + "' is neither a duration back from now (30s, 10m, 2h, 7d)"
                    + " nor an ISO time (2026-12-01T23:04:05 local, 2026-12-01T22:04:05Z, 2026-12-01)");
        }
    }
}

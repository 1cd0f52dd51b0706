package io.driftguard.daemon.cli;

import io.driftguard.core.config.PointInTime;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in time as {@code --since} and {@code --until} take it: a duration back from now, or an ISO time ({@link PointInTime}). */
final class When implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
        return parse(text, Instant.now(), ZoneId.systemDefault());
    }

    static Instant parse(String text, Instant now, ZoneId zone) {
        try {
            return PointInTime.parse(text, now, zone, false);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

package io.driftguard.scan.cli;

import io.driftguard.core.config.PointInTime;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code approve --expires}: a duration from now (30d) or an ISO time or date, which must be ahead. */
final class ExpiryConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
        Instant now = Instant.now();
        Instant expires;
        try {
            expires = PointInTime.parse(text, now, ZoneId.systemDefault(), true);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (!expires.isAfter(now)) {
            throw new TypeConversionException("'" + text + "' is not in the future (" + expires + "): an approval must count for a while");
        }
        return expires;
    }
}

package io.driftguard.scan.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to wait before asking again after a 429, a 5xx or a broken connection:
 * exponential backoff with jitter, or the registry's {@code Retry-After} when it sends one.
 */
public record RetryPolicy(int retries, Duration baseDelay) {
    /** No single wait is longer than this, whatever a registry asks. */
    static final Duration MAX_DELAY = Duration.ofSeconds(60);

    public static boolean retryable(int status) {
        return status == 429 || status >= 500 && status <= 599;
    }

    /** The wait before retry number {@code attempt} (0 = the first retry). */
    public Duration delay(int attempt, Optional<String> retryAfter, Instant now) {
        Optional<Duration> asked = retryAfter.flatMap(value -> parseRetryAfter(value, now));
        if (asked.isPresent()) {
            return min(asked.get(), MAX_DELAY);
        }
        long base = baseDelay.toMillis() << Math.min(attempt, 16);
        long jitter = base / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 5);
        return min(Duration.ofMillis(base + jitter), MAX_DELAY);
    }

    /** Retry-After is delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

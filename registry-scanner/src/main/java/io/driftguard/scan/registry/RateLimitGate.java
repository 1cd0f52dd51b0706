package io.driftguard.scan.registry;

import io.driftguard.scan.net.RegistryException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Honours {@code RateLimit-Remaining}: once a registry says no requests remain, new requests wait
 * for {@code RateLimit-Reset} seconds, or fail at once when the window is longer than a run
 * should wait, so that the scanner never hammers a registry into banning the host.
 */
public final class RateLimitGate {
    /** Longer waits than this end the registry's scan with an error instead. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** Waited when the registry says none remain but not when more are allowed. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final Clock clock;
    private Instant blockedUntil = Instant.MIN;

    public RateLimitGate(Clock clock) {
        this.clock = clock;
    }

    /** Waits while the registry's allowance is used up; throws if that would take too long. */
    public void await(String registry) throws RegistryException, InterruptedException {
        Instant until;
        synchronized (this) {
            until = blockedUntil;
        }
        Duration wait = Duration.between(clock.instant(), until);
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new RegistryException(registry + ": rate limit used up (RateLimit-Remaining: 0); it resets in "
                    + wait.toSeconds() + " s");
        }
        Thread.sleep(wait.toMillis());
    }

    public void observe(HttpHeaders headers) {
        Optional<Long> remaining = headers.firstValue("RateLimit-Remaining").flatMap(RateLimitGate::leadingNumber);
        if (remaining.isEmpty() || remaining.get() > 0) {
            return;
        }
        Duration wait = headers.firstValue("RateLimit-Reset").flatMap(RateLimitGate::leadingNumber)
                .map(Duration::ofSeconds).orElse(DEFAULT_WAIT);
        synchronized (this) {
            Instant until = clock.instant().plus(wait);
            if (until.isAfter(blockedUntil)) {
                blockedUntil = until;
            }
        }
    }

    /** "76;w=21600" gives 76. */
    static Optional<Long> leadingNumber(String value) {
        String number = value.split(";", 2)[0].trim();
        return number.matches("[0-9]{1,12}") ? Optional.of(Long.parseLong(number)) : Optional.empty();
    }
}

package io.driftguard.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");

    @Test
    void honoursRetryAfterInSecondsAndAsDate() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100));
        assertThat(policy.delay(0, Optional.of("7"), NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delay(0, Optional.of("Wed, 25 Nov 2026 15:00:30 GMT"), NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delay(0, Optional.of("86400"), NOW)).isEqualTo(RetryPolicy.MAX_DELAY);
    }

    @Test
    void backsOffExponentiallyWithoutRetryAfter() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100));
        assertThat(policy.delay(0, Optional.empty(), NOW)).isBetween(Duration.ofMillis(100), Duration.ofMillis(120));
        assertThat(policy.delay(3, Optional.of("soon"), NOW)).isBetween(Duration.ofMillis(800), Duration.ofMillis(960));
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(404)).isFalse();
    }

    @Test
    void rateLimitGateRefusesLongWaits() {
        RateLimitGate gate = new RateLimitGate(Clock.fixed(NOW, ZoneOffset.UTC));
        gate.observe(HttpHeaders.of(Map.of("RateLimit-Remaining", List.of("0;w=21600"), "RateLimit-Reset", List.of("3600")), (a, b) -> true));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gate.await("reg.example"))
                .hasMessageContaining("rate limit used up").hasMessageContaining("3600 s");
        assertThat(RateLimitGate.leadingNumber("76;w=21600")).contains(76L);
    }
}

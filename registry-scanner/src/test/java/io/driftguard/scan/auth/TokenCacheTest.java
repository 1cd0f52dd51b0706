package io.driftguard.scan.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-25T15:00:00Z");

    @Test
    void keepsATokenPerHostAndScopeUntilShortlyBeforeItExpires() {
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        TokenCache cache = new TokenCache(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });
        cache.put("reg:5000", "repository:a:pull", "tok-a", T0, 60);
        assertThat(cache.get("reg:5000", "repository:a:pull")).contains("tok-a");
        assertThat(cache.get("reg:5000", "repository:b:pull")).isEmpty();
        assertThat(cache.get("other:5000", "repository:a:pull")).isEmpty();
        now.set(T0.plusSeconds(49));
        assertThat(cache.get("reg:5000", "repository:a:pull")).contains("tok-a");
        now.set(T0.plusSeconds(50));
        assertThat(cache.get("reg:5000", "repository:a:pull")).as("dropped 10 s before expiry").isEmpty();
        cache.put("reg:5000", "repository:a:pull", "tok-b", now.get(), 300);
        cache.invalidate("reg:5000", "repository:a:pull");
        assertThat(cache.get("reg:5000", "repository:a:pull")).isEmpty();
    }
}

package io.driftguard.scan.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens per registry host and scope, each kept until shortly before it expires. */
public final class TokenCache {
    /** Tokens are dropped this long before they expire, so that none runs out in flight. */
    private static final long MARGIN_SECONDS = 10;

    private record Entry(String token, Instant expires) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenCache(Clock clock) {
        this.clock = clock;
    }

    public Optional<String> get(String host, String scope) {
        Entry entry = tokens.get(key(host, scope));
        if (entry == null || !clock.instant().isBefore(entry.expires())) {
            return Optional.empty();
        }
        return Optional.of(entry.token());
    }

    public void put(String host, String scope, String token, Instant issued, long expiresInSeconds) {
        tokens.put(key(host, scope), new Entry(token, issued.plusSeconds(Math.max(0, expiresInSeconds - MARGIN_SECONDS))));
    }

    public void invalidate(String host, String scope) {
        tokens.remove(key(host, scope));
    }

    private static String key(String host, String scope) {
        return host + " " + scope;
    }
}

package io.driftguard.scan.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.scan.net.Loopback;
import io.driftguard.scan.net.Printable;
import io.driftguard.scan.net.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides the Authorization header for a request to one registry. The scheme is learnt from the
 * first 401: Basic sends the configured credentials; Bearer fetches a token from the challenge's
 * realm for the request's scope and caches it. A realm must be https unless it is on loopback or
 * the registry is explicitly insecure, since credentials are sent to it.
 */
public final class Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The distribution token spec's default lifetime when a token server gives none. */
    private static final long DEFAULT_EXPIRES_SECONDS = 60;
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private final String host;
    private final boolean insecure;
    private final CredentialProvider credentials;
    private final Supplier<HttpClient> http;
    private final Duration timeout;
    private final TokenCache tokens;
    private final Clock clock;
    private volatile Challenge bearer;
    private volatile boolean basic;

    public Authenticator(String host, boolean insecure, CredentialProvider credentials, Supplier<HttpClient> http,
                         Duration timeout, TokenCache tokens, Clock clock) {
        this.host = host;
        this.insecure = insecure;
        this.credentials = credentials;
        this.http = http;
        this.timeout = timeout;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The header to send for a request needing {@code scope}, once the scheme is known. */
    public Optional<String> authorization(String scope) throws RegistryException {
        if (basic) {
            return credentials().map(BasicCredentials::header);
        }
        Challenge challenge = bearer;
        if (challenge == null) {
            return Optional.empty();
        }
        Optional<String> cached = tokens.get(host, scope);
        if (cached.isPresent()) {
            return Optional.of("Bearer " + cached.get());
        }
        return Optional.of("Bearer " + fetchToken(challenge, scope));
    }

    /**
     * Learns from a 401 answer; afterwards {@link #authorization} gives what the registry asked for.
     *
     * @param refusedBefore whether the request already carried what the last 401 asked for
     * @throws RegistryException when the challenge cannot be met (no credentials for Basic, a bad realm)
     */
    public void unauthorized(List<String> wwwAuthenticate, String scope, URI request, boolean refusedBefore)
            throws RegistryException {
        List<Challenge> challenges;
        try {
            challenges = Challenge.parseAll(wwwAuthenticate);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(request + " answered 401 with " + e.getMessage(), 401, null);
        }
        Optional<Challenge> bearerChallenge = challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
        if (bearerChallenge.isPresent()) {
            tokens.invalidate(host, scope);
            if (refusedBefore && bearer != null) {
                throw new RegistryException(request + " answered 401 to a token from " + bearer.param("realm").orElse("?")
                        + " for scope '" + scope + "'", 401, null);
            }
            bearer = bearerChallenge.get();
            return;
        }
        if (challenges.stream().anyMatch(c -> c.scheme().equals("basic"))) {
            if (refusedBefore && basic || credentials().isEmpty()) {
                throw new RegistryException(request + " answered 401: "
                        + (basic ? "the configured credentials were refused" : "it requires credentials and none are configured"), 401, null);
            }
            basic = true;
            return;
        }
        throw new RegistryException(request + " answered 401 without a Basic or Bearer challenge: " + Printable.of(String.join(", ", wwwAuthenticate)), 401, null);
    }

    private String fetchToken(Challenge challenge, String scope) throws RegistryException {
        URI realm = realm(challenge);
        StringBuilder query = new StringBuilder();
        challenge.param("service").ifPresent(s -> query.append("service=").append(encode(s)));
        if (!scope.isEmpty()) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
        }
        URI uri = URI.create(realm + (query.length() == 0 ? "" : (realm.getRawQuery() == null ? "?" : "&") + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        credentials().ifPresent(c -> request.header("Authorization", c.header()));
        Instant sent = clock.instant();
        HttpResponse<byte[]> response;
        try {
            response = http.get().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException("token request to " + realm + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during token request to " + realm, e);
        }
        if (response.statusCode() != 200) {
            throw new RegistryException("token server " + realm + " answered " + response.statusCode() + " for scope '" + scope + "'",
                    response.statusCode(), null);
        }
        if (response.body().length > MAX_TOKEN_RESPONSE) {
            throw new RegistryException("token server " + realm + " sent more than " + MAX_TOKEN_RESPONSE + " bytes");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException("token server " + realm + " sent invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException("token server " + realm + " sent no token");
        }
        long expiresIn = body.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS);
        // Our own clock, not issued_at: a skewed token server must not stretch a token's life.
        tokens.put(host, scope, token, sent, expiresIn);
        return token;
    }

    private URI realm(Challenge challenge) throws RegistryException {
        String text = challenge.param("realm").orElseThrow(() -> new RegistryException(host + ": Bearer challenge without realm"));
        URI realm;
        try {
            realm = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new RegistryException(host + ": Bearer realm '" + Printable.of(text) + "' is not a URL");
        }
        boolean https = "https".equalsIgnoreCase(realm.getScheme());
        boolean http = "http".equalsIgnoreCase(realm.getScheme());
        if (realm.getHost() == null || !(https || http && (insecure || Loopback.isLoopback(realm.getHost())))) {
            throw new RegistryException(host + ": refusing token realm '" + text
                    + "': it must be https (plain http only on loopback or with insecure = true)");
        }
        return realm;
    }

    private Optional<BasicCredentials> credentials() throws RegistryException {
        try {
            return credentials.get();
        } catch (IOException e) {
            throw new RegistryException(host + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package io.driftguard.scan.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry that serves exactly the answers a test gives it, for input no real registry sends:
 * broken JSON, unknown media types, lying digests, oversized bodies, broken Link headers. A HEAD
 * gets the GET answer's headers unless the test routes HEAD itself.
 */
final class FakeRegistry extends LoopbackServer {
    private final Map<String, Answer> routes = new ConcurrentHashMap<>();
    private volatile String requiredAuthorization;
    private volatile String challenge;
    private volatile long delayMillis;

    FakeRegistry() throws IOException {
        route("GET", "/v2/", 200, Map.of(), "{}");
    }

    /** Answers {@code method pathAndQuery} (the raw request URI) with the given status, headers and body. */
    FakeRegistry route(String method, String pathAndQuery, int status, Map<String, String> headers, byte[] body) {
        routes.put(method + " " + pathAndQuery, new Answer(status, headers, body));
        return this;
    }

    FakeRegistry route(String method, String pathAndQuery, int status, Map<String, String> headers, String body) {
        return route(method, pathAndQuery, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** From now on, requests without this Authorization header get 401 with this challenge. */
    void requireAuthorization(String authorization, String wwwAuthenticate) {
        requiredAuthorization = authorization;
        challenge = wwwAuthenticate;
    }

    /** Every answer comes this much later, so that overlapping requests can be counted. */
    void delay(long millis) {
        delayMillis = millis;
    }

    @Override
    Answer answer(HttpExchange exchange) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (requiredAuthorization != null && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, Map.of("WWW-Authenticate", challenge), new byte[0]);
        }
        String uri = exchange.getRequestURI().toString();
        Answer answer = routes.get(exchange.getRequestMethod() + " " + uri);
        if (answer == null && exchange.getRequestMethod().equals("HEAD")) {
            answer = routes.get("GET " + uri);
        }
        return answer != null ? answer : new Answer(404, Map.of(), "{\"errors\":[{\"code\":\"NOT_FOUND\"}]}".getBytes(StandardCharsets.UTF_8));
    }
}

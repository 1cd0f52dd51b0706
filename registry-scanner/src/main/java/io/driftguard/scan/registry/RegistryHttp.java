package io.driftguard.scan.registry;

import io.driftguard.core.config.Durations;
import io.driftguard.scan.auth.Authenticator;
import io.driftguard.scan.net.Printable;
import io.driftguard.scan.net.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends requests to one registry: at most {@code concurrency} at a time (a blob counts until read), with authentication,
 * retries on 429, 5xx and broken connections, the rate-limit gate, and redirects followed by hand
 * so that the Authorization header is never sent to another host or over a downgraded scheme.
 * The timeout bounds each exchange as a whole, body included. Each retry is announced on
 * {@code progress} (the command's stderr), so that a dead registry is not a silent wait.
 */
public final class RegistryHttp {
    private static final int MAX_REDIRECTS = 5;

    private final URI base;
    private final String name;
    private final Supplier<HttpClient> client;
    private final BlockingExchange blocking;
    private final Authenticator auth;
    private final RetryPolicy retry;
    private final RateLimitGate rateLimit;
    private final Semaphore permits;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<String> progress;

    /** {@code client} is asked for only when a blob is streamed. */
    RegistryHttp(URI base, String name, Supplier<HttpClient> client, BlockingExchange blocking, Authenticator auth,
                 RetryPolicy retry, int concurrency, Duration timeout, Clock clock, Consumer<String> progress) {
        this.base = base;
        this.name = name;
        this.client = client;
        this.blocking = blocking;
        this.auth = auth;
        this.retry = retry;
        this.rateLimit = new RateLimitGate(clock);
        this.permits = new Semaphore(concurrency, true);
        this.timeout = timeout;
        this.clock = clock;
        this.progress = progress;
    }

    public URI base() {
        return base;
    }

    /** The registry's host[:port], as events name it. */
    public String name() {
        return name;
    }

    /** A URL under this registry from a path that the caller built from validated names. */
    public URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /**
     * Sends a request and returns the final answer, whatever its status, after retries. Only a 200
     * answer's body is read, by {@code body}, whole before this returns (an in-memory subscriber
     * that asks for all of it); other answers have a null body. Only transport failures, exhausted
     * retries on a broken connection and refused credentials throw.
     */
    public <T> HttpResponse<T> send(String method, URI uri, String scope, List<String> accept,
                                    HttpResponse.BodyHandler<T> body) throws RegistryException {
        return send(method, uri, scope, accept, body, false);
    }

    /**
     * As {@link #send}, but the body is handed to {@code body} as it arrives, on the HttpClient's
     * threads, and may be read elsewhere meanwhile: for blobs.
     */
    public <T> HttpResponse<T> stream(String method, URI uri, String scope, List<String> accept,
                                      HttpResponse.BodyHandler<T> body) throws RegistryException {
        return send(method, uri, scope, accept, body, true);
    }

    private <T> HttpResponse<T> send(String method, URI uri, String scope, List<String> accept,
                                     HttpResponse.BodyHandler<T> body, boolean streamed) throws RegistryException {
        HttpResponse.BodyHandler<T> onlyOk = info -> info.statusCode() == 200
                ? body.apply(info) : HttpResponse.BodySubscribers.replacing(null);
        boolean reauthenticated = false;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<T> response;
            try {
                response = once(method, uri, scope, accept, onlyOk, streamed);
            } catch (IOException e) {
                Throwable tooLarge = causeOfType(e, LimitedBody.TooLarge.class);
                if (tooLarge != null) {
                    throw new RegistryException(uri + " " + tooLarge.getMessage(), e);
                }
                if (attempt >= retry.retries()) {
                    throw new RegistryException(method + " " + uri + " failed after " + (attempt + 1) + " attempts: " + e, e);
                }
                pause(announced("not answering (" + e.getClass().getSimpleName() + ")", attempt,
                        retry.delay(attempt, Optional.empty(), clock.instant())));
                continue;
            }
            if (response.statusCode() == 401) {
                // The second 401 in a row means what we sent was refused; the authenticator says how.
                auth.unauthorized(response.headers().allValues("WWW-Authenticate"), scope, uri, reauthenticated);
                reauthenticated = true;
                attempt--;
                continue;
            }
            if (RetryPolicy.retryable(response.statusCode()) && attempt < retry.retries()) {
                pause(announced("answered " + response.statusCode(), attempt,
                        retry.delay(attempt, response.headers().firstValue("Retry-After"), clock.instant())));
                continue;
            }
            return response;
        }
    }

    /** One exchange, redirects included, holding one of the registry's permits until the body is read. */
    private <T> HttpResponse<T> once(String method, URI uri, String scope, List<String> accept,
                                     HttpResponse.BodyHandler<T> body, boolean streamed) throws IOException, RegistryException {
        acquire();
        try {
            rateLimit.await(name);
            Optional<String> authorization = auth.authorization(scope);
            URI target = uri;
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                        .method(method, HttpRequest.BodyPublishers.noBody());
                if (!accept.isEmpty()) {
                    request.header("Accept", String.join(", ", accept));
                }
                // Credentials go only to the registry itself, never to a redirect target elsewhere.
                if (authorization.isPresent() && LinkHeader.sameOrigin(target, base)) {
                    request.header("Authorization", authorization.get());
                }
                HttpResponse<T> response = exchange(method, target, request.build(), body, streamed);
                rateLimit.observe(response.headers());
                Optional<String> location = response.headers().firstValue("Location");
                if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                    return response;
                }
                if (hop >= MAX_REDIRECTS) {
                    throw new RegistryException(method + " " + uri + ": more than " + MAX_REDIRECTS + " redirects");
                }
                target = redirect(target, location.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during " + method + " " + uri, e);
        } finally {
            permits.release();
        }
    }

    /**
     * Sends one request and waits for its whole answer, body included, at most the timeout: the
     * request's own timeout ends only the wait for the headers, not a body sent a byte at a time.
     * Only a streamed body goes to the HttpClient; the rest is sent on this thread ({@link BlockingExchange}).
     */
    private <T> HttpResponse<T> exchange(String method, URI target, HttpRequest request, HttpResponse.BodyHandler<T> body,
                                         boolean streamed) throws IOException, RegistryException, InterruptedException {
        if (!streamed) {
            try {
                return blocking.send(request, body);
            } catch (HttpTimeoutException e) {
                throw timedOut(method, target, e);
            }
        }
        CompletableFuture<HttpResponse<T>> answer = client.get().sendAsync(request, body);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(method, target, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } finally {
            // Closes the connection of an answer still arriving (timeout or interrupt).
            answer.cancel(true);
        }
    }

    private RegistryException timedOut(String method, URI target, Exception e) {
        return new RegistryException(method + " " + target + ": no complete answer within the timeout of "
                + Durations.format(timeout) + " (the body counts)", e);
    }

    private static Throwable causeOfType(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private URI redirect(URI from, String location) throws RegistryException {
        URI to;
        try {
            to = from.resolve(new URI(location));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new RegistryException(from + " redirected to an invalid URL '" + Printable.of(location) + "'");
        }
        boolean https = "https".equalsIgnoreCase(to.getScheme());
        if (!https && !"http".equalsIgnoreCase(to.getScheme())) {
            throw new RegistryException(from + " redirected to a non-HTTP URL '" + Printable.of(location) + "'");
        }
        if ("https".equalsIgnoreCase(from.getScheme()) && !https) {
            throw new RegistryException(from + " redirected from https to plain http: " + Printable.of(location));
        }
        return to;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private void acquire() throws RegistryException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting to contact " + name, e);
        }
    }

    /** Says that a retry is coming, e.g. "registry 127.0.0.1:5000 not answering (ConnectException), retry 2/5 in 4s". */
    private Duration announced(String what, int attempt, Duration delay) {
        progress.accept("registry " + name + " " + what + ", retry " + (attempt + 1) + "/" + retry.retries() + " in "
                + (delay.toMillis() < 1000 ? delay.toMillis() + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", delay.toMillis() / 1000.0)));
        return delay;
    }

    private void pause(Duration delay) throws RegistryException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting to retry " + name, e);
        }
    }
}

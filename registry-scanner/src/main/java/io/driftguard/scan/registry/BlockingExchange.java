package io.driftguard.scan.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a request without a body on the calling thread over {@link HttpURLConnection}, with the
 * JDK's keep-alive cache, and hands the answer's body to its subscriber on the same thread. A
 * digest-only pass is one HEAD a tag, and in a JVM started for one run the HttpClient's futures,
 * selector thread and hand-offs cost about three times the CPU of this blocking exchange, and
 * building the HttpClient (its TLS defaults) a quarter of a second (bench/NOTES-scan-speed.md);
 * blobs, whose bodies are read while they arrive, stay on the HttpClient. As with the HttpClient,
 * the default proxy selector is used and redirects are returned, not followed. A blocked socket
 * read heeds neither a deadline nor an interrupt, so a watchdog closes the connection of an
 * exchange past its timeout, body included, or whose thread was interrupted (a run's
 * {@code run_timeout} cancels its tags that way).
 */
final class BlockingExchange {
    private static final long SWEEP_MILLIS = 100;
    private static final int CHUNK = 16384;

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;

    /**
     * {@code tls} trusts the registry's certificates; null for the JDK's defaults. One socket
     * factory serves every request: the keep-alive cache hands an https connection back only to
     * a request with the factory that opened it.
     */
    BlockingExchange(SSLContext tls, Duration connectTimeout) {
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.connectTimeout = connectTimeout;
    }

    /**
     * The answer to {@code request}, whose body {@code handler}'s subscriber gets whole before this
     * returns: it must ask for all of it at once, as the in-memory ones do.
     *
     * @throws HttpTimeoutException when no complete answer came within the request's timeout
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
        if (tls != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        Duration timeout = request.timeout().orElseThrow();
        connection.setRequestMethod(request.method());
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        request.headers().map().forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
        InFlight flight = new InFlight(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        Watchdog.watch(connection, flight);
        boolean connected = false;
        boolean finished = false;
        try {
            connection.connect();
            connected = true;
            int status = connection.getResponseCode();
            HttpHeaders headers = headers(connection.getHeaderFields());
            InputStream body = request.method().equals("HEAD") ? null
                    : status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            Answer<T> answer = new Answer<>(request, status, headers, null);
            Delivery delivery = new Delivery();
            T value = delivery.deliver(handler.apply(answer), body);
            if (delivery.cancelled()) {
                // The rest of the body was left unread: the connection cannot carry another request.
                connection.disconnect();
            } else if (body != null) {
                body.close();
            }
            finished = true;
            return new Answer<>(request, status, headers, value);
        } catch (IOException e) {
            if (flight.interrupted()) {
                throw new InterruptedException("interrupted during " + request.method() + " " + request.uri());
            }
            // A read timeout, unlike a connect timeout, means no complete answer in time.
            if (flight.timedOut() || connected && e instanceof SocketTimeoutException) {
                throw new HttpTimeoutException("no answer within " + timeout);
            }
            throw e;
        } finally {
            Watchdog.forget(connection);
            // Whatever went wrong (a subscriber's exception too), a connection in an unknown state is not reused.
            if (!finished) {
                connection.disconnect();
            }
            if (flight.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static HttpHeaders headers(Map<String, List<String>> fields) {
        Map<String, List<String>> named = new HashMap<>(fields);
        named.remove(null); // the status line
        return HttpHeaders.of(named, (name, value) -> true);
    }

    /** The watchdog's view of one exchange: whose it is and when it must end. */
    private static final class InFlight {
        private final Thread owner;
        private final long deadlineNanos;
        private volatile boolean timedOut;
        private volatile boolean interrupted;

        InFlight(Thread owner, long deadlineNanos) {
            this.owner = owner;
            this.deadlineNanos = deadlineNanos;
        }

        /** Whether the exchange must end now, noting why. */
        boolean due(long now) {
            if (owner.isInterrupted()) {
                interrupted = true;
            } else if (now - deadlineNanos >= 0) {
                timedOut = true;
            }
            return interrupted || timedOut;
        }

        boolean timedOut() {
            return timedOut;
        }

        boolean interrupted() {
            return interrupted;
        }
    }

    /** One daemon thread for the process, started with the first request. */
    private static final class Watchdog {
        private static final Map<HttpURLConnection, InFlight> IN_FLIGHT = new ConcurrentHashMap<>();
        private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driftguard-http-watchdog");
            t.setDaemon(true);
            return t;
        });

        static {
            SWEEPER.scheduleWithFixedDelay(Watchdog::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        static void watch(HttpURLConnection connection, InFlight flight) {
            IN_FLIGHT.put(connection, flight);
        }

        static void forget(HttpURLConnection connection) {
            IN_FLIGHT.remove(connection);
        }

        private static void sweep() {
            long now = System.nanoTime();
            IN_FLIGHT.forEach((connection, flight) -> {
                if (flight.due(now)) {
                    IN_FLIGHT.remove(connection);
                    connection.disconnect();
                }
            });
        }
    }

    /**
     * Hands a body to a subscriber that asked for all of it, on this thread, in chunks. The
     * HttpClient's in-memory subscribers and those of this package ask for everything at once.
     */
    private static final class Delivery implements Flow.Subscription {
        private long demand;
        private boolean cancelled;

        <T> T deliver(HttpResponse.BodySubscriber<T> subscriber, InputStream body) throws IOException {
            subscriber.onSubscribe(this);
            try {
                byte[] chunk = new byte[CHUNK];
                while (!cancelled) {
                    if (demand <= 0) {
                        throw new IllegalStateException("a body subscriber that asks for a part at a time needs the HttpClient");
                    }
                    int n = body == null ? -1 : body.read(chunk);
                    if (n < 0) {
                        subscriber.onComplete();
                        break;
                    }
                    demand--;
                    subscriber.onNext(List.of(ByteBuffer.wrap(Arrays.copyOf(chunk, n))));
                }
            } catch (IOException e) {
                subscriber.onError(e);
                throw e;
            }
            CompletableFuture<T> value = subscriber.getBody().toCompletableFuture();
            if (!value.isDone()) {
                throw new IllegalStateException("a body subscriber that completes later needs the HttpClient");
            }
            try {
                return value.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }

        boolean cancelled() {
            return cancelled;
        }

        @Override
        public void request(long n) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private record Answer<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
            implements HttpResponse<T>, HttpResponse.ResponseInfo {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}

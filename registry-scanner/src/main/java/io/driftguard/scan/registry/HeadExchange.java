package io.driftguard.scan.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a HEAD request on the calling thread over {@link HttpURLConnection}, with the JDK's
 * keep-alive cache. A digest-only pass is one HEAD a tag, and in a JVM started for one run the
 * HttpClient's futures, selector thread and hand-offs cost about three times the CPU of this
 * blocking exchange (bench/NOTES-scan-speed.md); a HEAD has no body to stream, which is what the
 * HttpClient is kept for. As with the HttpClient, no proxy is used and redirects are returned,
 * not followed. A blocked socket read heeds neither a deadline nor an interrupt, so a watchdog
 * closes the connection of an exchange past its timeout or whose thread was interrupted (a run's
 * {@code run_timeout} cancels its tags that way).
 */
final class HeadExchange {
    private static final long SWEEP_MILLIS = 100;
    private static final Map<HttpURLConnection, InFlight> IN_FLIGHT = new ConcurrentHashMap<>();

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;

    /** Uses the TLS trust and connect timeout of {@code client}. */
    HeadExchange(HttpClient client, Duration connectTimeout) {
        this.tls = client.sslContext().getSocketFactory();
        this.connectTimeout = connectTimeout;
    }

    /**
     * The answer to {@code request}, whose method is HEAD, with a null body.
     *
     * @throws HttpTimeoutException when no complete answer came within the request's timeout
     */
    <T> HttpResponse<T> send(HttpRequest request) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection(Proxy.NO_PROXY);
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls);
        }
        Duration timeout = request.timeout().orElseThrow();
        connection.setRequestMethod("HEAD");
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        request.headers().map().forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
        InFlight flight = new InFlight(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        Watchdog.watch(connection, flight);
        try {
            // Connected first, so that a read timeout, unlike a connect timeout, means no answer in time.
            connection.connect();
            int status;
            try {
                status = connection.getResponseCode();
            } catch (SocketTimeoutException e) {
                throw new HttpTimeoutException("no answer within " + timeout);
            }
            HttpHeaders headers = headers(connection.getHeaderFields());
            drain(connection);
            return new Answer<>(request, status, headers);
        } catch (IOException e) {
            connection.disconnect();
            if (flight.interrupted()) {
                throw new InterruptedException("interrupted during HEAD " + request.uri());
            }
            if (flight.timedOut()) {
                throw new HttpTimeoutException("no answer within " + timeout);
            }
            throw e;
        } finally {
            IN_FLIGHT.remove(connection);
            if (flight.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An error answer may have a stream to close before its connection goes back to the cache. */
    private static void drain(HttpURLConnection connection) throws IOException {
        InputStream error = connection.getErrorStream();
        if (error != null) {
            error.close();
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

    /** One daemon thread for the process, started with the first HEAD. */
    private static final class Watchdog {
        private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driftguard-head-watchdog");
            t.setDaemon(true);
            return t;
        });

        static {
            SWEEPER.scheduleWithFixedDelay(Watchdog::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }

        static void watch(HttpURLConnection connection, InFlight flight) {
            IN_FLIGHT.put(connection, flight);
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

    private record Answer<T>(HttpRequest request, int statusCode, HttpHeaders headers) implements HttpResponse<T> {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public T body() {
            return null;
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

package io.driftguard.scan.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards the scanner's read requests to a real registry, answering the first few with 500 (or
 * 429 with Retry-After) to play a registry having a bad moment, or sending blobs a byte at a time.
 */
final class FaultProxy extends LoopbackServer {
    private static final List<String> PASSED_HEADERS = List.of(
            "Content-Type", "Docker-Content-Digest", "Link", "Location", "WWW-Authenticate", "Retry-After");

    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger failuresLeft;
    private final int status;
    private final long dripMillis;

    FaultProxy(URI target, int failures, int status) throws IOException {
        this(target, failures, status, 0);
    }

    private FaultProxy(URI target, int failures, int status, long dripMillis) throws IOException {
        this.target = target;
        this.failuresLeft = new AtomicInteger(failures);
        this.status = status;
        this.dripMillis = dripMillis;
    }

    /** A proxy that answers everything, but sends each blob's body one byte every {@code millis}. */
    static FaultProxy drippingBlobs(URI target, long millis) throws IOException {
        return new FaultProxy(target, 0, 200, millis);
    }

    @Override
    void writeBody(HttpExchange exchange, OutputStream out, byte[] body) throws IOException {
        if (dripMillis == 0 || !exchange.getRequestURI().getPath().contains("/blobs/")) {
            out.write(body);
            return;
        }
        try {
            for (byte b : body) {
                out.write(b);
                out.flush();
                Thread.sleep(dripMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    Answer answer(HttpExchange exchange) throws IOException {
        if (failuresLeft.getAndDecrement() > 0) {
            Map<String, String> headers = status == 429 ? Map.of("Retry-After", "1") : Map.of();
            return new Answer(status, headers, "{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}".getBytes());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        for (String name : List.of("Accept", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : PASSED_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
            }
            return new Answer(response.statusCode(), headers, response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}

package io.driftguard.scan.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK HttpServer on 127.0.0.1 that records each request line; the base of the test fakes. */
abstract class LoopbackServer implements AutoCloseable {
    /** A canned answer. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", (HttpHandler) exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try (exchange) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(auth == null ? "none" : auth);
                reply(exchange, answer(exchange));
            } catch (RuntimeException e) {
                e.printStackTrace();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    abstract Answer answer(HttpExchange exchange) throws IOException;

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The most requests that were being answered at the same time. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** The Authorization header of each request, in order, "none" where there was none. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Sends the body; a fake that plays a slow network overrides it. */
    void writeBody(HttpExchange exchange, OutputStream out, byte[] body) throws IOException {
        out.write(body);
    }

    private void reply(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(answer.body().length));
        }
        exchange.sendResponseHeaders(answer.status(), head || answer.body().length == 0 ? -1 : answer.body().length);
        if (!head && answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                writeBody(exchange, out, answer.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

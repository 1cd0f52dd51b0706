package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<Event> reports = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A receiver on 127.0.0.1 answering {@code failFirst} posts with 503, then 200. */
    private URI receiver(int failFirst) throws Exception {
        AtomicInteger posts = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = posts.incrementAndGet() <= failFirst ? 503 : 200;
            if (status == 200) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    private OutputWorker webhook(URI url, int queue, int retries) {
        return new OutputWorker("hook", queue, new WebhookDelivery(new OutputSettings.Webhook("hook", queue, url,
                Duration.ofSeconds(2), retries, Duration.ofMillis(20))), reports::add);
    }

    private static Event event(String message) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).message(message).build();
    }

    @Test
    void aFailedPostIsRetried() throws Exception {
        OutputWorker worker = webhook(receiver(2), 10, 3);
        worker.accept(event("Blocked exec of /bin/sh"));
        String body = received.poll(10, TimeUnit.SECONDS);
        assertThat(body).isNotNull();
        assertThat(JSON.readTree(body).get("output").asText()).isEqualTo("Blocked exec of /bin/sh");
        worker.close();
        assertThat(worker.sent()).isEqualTo(1);
        assertThat(worker.dropped()).isZero();
        assertThat(reports).isEmpty();
    }

    @Test
    void aDeadReceiverIsACountedDrop() throws Exception {
        URI url = receiver(0);
        server.stop(0);
        server = null;
        OutputWorker worker = webhook(url, 10, 1);
        worker.accept(event("one"));
        worker.accept(event("two"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (reports.stream().mapToLong(r -> r.repeats().count()).sum() < 2 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        worker.close();
        assertThat(worker.dropped()).isEqualTo(2);
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(EventKind.DAEMON);
            assertThat(r.details()).containsEntry("output", "hook").containsKey("dropped");
            assertThat(r.message()).contains("not sent to output hook (" + url + ")", "could not be delivered");
        });
        assertThat(reports.stream().mapToLong(r -> r.repeats().count()).sum()).isEqualTo(2);
        // Its own drop report would be lost the same way: it is not queued for this output.
        worker.accept(reports.get(0));
        assertThat(worker.queued()).isZero();
    }

    @Test
    void aFullQueueIsCountedNotWaitedFor() throws Exception {
        BlockingQueue<Event> delivered = new LinkedBlockingQueue<>();
        Object gate = new Object();
        Delivery stuck = new Delivery() {
            @Override
            public void deliver(Event event) throws InterruptedException {
                synchronized (gate) {
                    gate.wait(2000);
                }
                delivered.add(event);
            }

            @Override
            public String target() {
                return "nowhere";
            }
        };
        OutputWorker worker = new OutputWorker("slow", 2, stuck, reports::add);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            worker.accept(event("e" + i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        synchronized (gate) {
            gate.notifyAll();
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (reports.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        worker.close();
        assertThat(worker.sent() + worker.dropped()).isEqualTo(10);
        assertThat(worker.dropped()).isGreaterThanOrEqualTo(7);
        assertThat(reports.get(0).message()).contains("found its queue full");
    }
}

package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs each event as Falcosidekick's JSON. A post that fails (no connection, timeout, a 5xx, 408
 * or 429 answer) is tried again up to {@code retries} times, waiting {@code retryDelay}, then twice
 * as long each time, at most {@link #MAX_DELAY}; any other answer is the receiver refusing the
 * event, which no retry changes.
 */
final class WebhookDelivery implements Delivery {
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final URI url;
    private final Duration timeout;
    private final int retries;
    private final Duration retryDelay;
    private final HttpClient client;

    WebhookDelivery(OutputSettings.Webhook settings) {
        this.url = settings.url();
        this.timeout = settings.timeout();
        this.retries = settings.retries();
        this.retryDelay = settings.retryDelay();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String target() {
        return url.toString();
    }

    @Override
    public void deliver(Event event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "driftguard")
                .POST(HttpRequest.BodyPublishers.ofString(FalcoPayload.toJson(event), StandardCharsets.UTF_8))
                .build();
        Duration delay = retryDelay;
        for (int attempt = 0; ; attempt++) {
            String failure = post(request);
            if (failure == null) {
                return;
            }
            if (attempt >= retries) {
                throw new IOException(failure + (retries > 0 ? " (after " + retries + " retries)" : ""));
            }
            Thread.sleep(delay.toMillis());
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
    }

    /** Null when the receiver took the event, why not when a retry may help; throws when the receiver refused it. */
    private String post(HttpRequest request) throws IOException, InterruptedException {
        int status;
        try {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return "POST " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (status / 100 == 2) {
            return null;
        }
        if (status / 100 == 5 || status == 408 || status == 429) {
            return "HTTP " + status + " from " + url;
        }
        throw new IOException("HTTP " + status + " from " + url + ": the receiver refused the event (not retried)");
    }
}

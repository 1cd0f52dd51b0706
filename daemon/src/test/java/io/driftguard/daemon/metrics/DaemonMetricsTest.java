package io.driftguard.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Repeats;
import io.driftguard.core.event.Severity;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonMetricsTest {
    private static final MetricSources SOURCES = new MetricSources(() -> 2, () -> 3, () -> 7, () -> 4096,
            () -> List.of(new MetricSources.OutputCounts("hook", 5, 1, 0)),
            () -> Optional.of(new MetricSources.ScanRun(1_700_000_000_000L, 4, 1, 0, 2)));

    @Test
    void servesTextThatParsesWithCountersThatMove() throws Exception {
        DaemonMetrics metrics = new DaemonMetrics(SOURCES);
        try {
            int port = metrics.serve(new MetricsSettings(InetAddress.getLoopbackAddress(), 0));
            Map<String, Double> before = scrape(port);
            assertThat(PrometheusText.sum(before, "driftguard_events_total")).isZero();

            Instant now = Instant.now();
            metrics.accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).policy("NoShells", "r")
                    .container("0123456789ab", "web", "img", null).message("Blocked exec").build());
            metrics.accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).policy("NoShells", "r")
                    .container("0123456789ab", "web", "img", null).repeats(new Repeats(9, now, now)).message("9 more").build());
            metrics.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH).detail("dropped", "12")
                    .message("12 events were dropped because the event queue was full").build());
            metrics.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH).detail("dropped", "4")
                    .detail("outbox", "full").message("4 events were not queued for the shared store").build());
            metrics.answered(false, false, 150_000);
            metrics.answered(true, true, 2_000_000_000L);
            metrics.fanotifyOverflowed();

            Map<String, Double> after = scrape(port);
            assertThat(PrometheusText.sum(after, "driftguard_events_total", "kind=\"process\"", "action=\"blocked\"",
                    "policy=\"NoShells\"")).isEqualTo(10);
            assertThat(PrometheusText.sum(after, "driftguard_events_dropped_total", "reason=\"queue_full\"")).isEqualTo(12);
            assertThat(PrometheusText.sum(after, "driftguard_events_dropped_total", "reason=\"outbox_full\"")).isEqualTo(4);
            assertThat(after).containsEntry("driftguard_exec_decisions_total{answer=\"deny\",by=\"rules\"}", 1.0)
                    .containsEntry("driftguard_exec_decisions_total{answer=\"allow\",by=\"fail_mode\"}", 1.0)
                    .containsEntry("driftguard_exec_decision_duration_seconds_count", 2.0)
                    .containsEntry("driftguard_exec_decision_duration_seconds_bucket{le=\"2.5E-4\"}", 1.0)
                    .containsEntry("driftguard_containers_attached", 2.0)
                    .containsEntry("driftguard_containers_running", 3.0)
                    .containsEntry("driftguard_kernel_events_lost_total{source=\"ring_buffer\"}", 7.0)
                    .containsEntry("driftguard_kernel_events_lost_total{source=\"fanotify\"}", 1.0)
                    .containsEntry("driftguard_store_size_bytes", 4096.0)
                    .containsEntry("driftguard_output_events_total{output=\"hook\",result=\"sent\"}", 5.0)
                    .containsEntry("driftguard_scanner_last_run_timestamp_seconds", 1.7E9)
                    .containsEntry("driftguard_scanner_findings{type=\"error\"}", 2.0);
            assertThat(after.get("driftguard_exec_decision_duration_seconds_sum")).isBetween(2.0, 2.001);
        } finally {
            metrics.close();
        }
    }

    @Test
    void aSourceThatFailsLeavesItsSampleOutAndIsCounted() throws Exception {
        DaemonMetrics metrics = new DaemonMetrics(new MetricSources(() -> 0, () -> 0, () -> 0,
                () -> { throw new java.sql.SQLException("database is locked"); }, List::of, Optional::empty));
        try {
            int port = metrics.serve(new MetricsSettings(InetAddress.getLoopbackAddress(), 0));
            assertThat(scrape(port)).doesNotContainKey("driftguard_store_size_bytes");
            // Counted while that scrape was being written: it shows from the next one on.
            Map<String, Double> next = scrape(port);
            assertThat(next).doesNotContainKey("driftguard_store_size_bytes");
            assertThat(next.get("driftguard_metric_read_errors_total{metric=\"driftguard_store_size_bytes\"}")).isPositive();
        } finally {
            metrics.close();
        }
    }

    static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(response.body());
    }
}

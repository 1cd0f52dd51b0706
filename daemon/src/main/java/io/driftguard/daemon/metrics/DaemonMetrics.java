package io.driftguard.daemon.metrics;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.log.Log;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's Prometheus metrics, served as text at {@code http://LISTEN/metrics}. Counters that
 * the daemon moves (events, exec answers) are updated lock-free where things happen; the rest are
 * read at each scrape from their source. Names follow Prometheus' conventions: {@code _total} for
 * counters, base units ({@code _seconds}, {@code _bytes}).
 */
public final class DaemonMetrics implements EventSink {
    private static final Log LOG = Log.of(DaemonMetrics.class);
    /** Exec answers take microseconds to a few milliseconds; a hashed file or the fail mode up to decision_timeout (10s at most). */
    private static final double[] DECISION_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter events;
    private final Counter dropped;
    private final Counter decisions;
    private final Histogram decisionSeconds;
    private final LongAdder fanotifyOverflows = new LongAdder();
    private final Counter scrapeErrors;
    private HTTPServer server;

    public DaemonMetrics(MetricSources sources) {
        events = Counter.builder().name("driftguard_events_total")
                .help("Events recorded, by kind, action and policy (an aggregate counts the repeats it stands for)")
                .labelNames("kind", "action", "policy").register(registry);
        dropped = Counter.builder().name("driftguard_events_dropped_total")
                .help("Events not recorded one by one: queue_full (the event queue), rate_limit (a container over its budget),"
                        + " outbox_full (not queued for the shared store: [store] outbox_max_events)")
                .labelNames("reason").register(registry);
        decisions = Counter.builder().name("driftguard_exec_decisions_total")
                .help("Exec permission answers the kernel got, by answer (allow, deny) and by whom (rules, fail_mode)")
                .labelNames("answer", "by").register(registry);
        decisionSeconds = Histogram.builder().name("driftguard_exec_decision_duration_seconds")
                .help("Time from reading an exec permission event to writing its answer")
                .classicOnly().classicUpperBounds(DECISION_BUCKETS).register(registry);
        scrapeErrors = Counter.builder().name("driftguard_metric_read_errors_total")
                .help("Scrapes that could not read a metric's source (the store, the BPF maps), by metric")
                .labelNames("metric").register(registry);
        GaugeWithCallback.builder().name("driftguard_containers_attached")
                .help("Running containers driftguard enforces on")
                .callback(cb -> cb.call(sources.attachedContainers().getAsLong())).register(registry);
        GaugeWithCallback.builder().name("driftguard_containers_running")
                .help("Running containers Docker reports")
                .callback(cb -> cb.call(sources.runningContainers().getAsLong())).register(registry);
        CounterWithCallback.builder().name("driftguard_kernel_events_lost_total")
                .help("Kernel events lost: ring_buffer (eBPF events the ring buffer had no room for), fanotify"
                        + " (fanotify queue overflows, each losing one or more exec events)")
                .labelNames("source")
                .callback(cb -> {
                    read("driftguard_kernel_events_lost_total", sources.ringBufferLost()).ifPresent(n -> cb.call(n, "ring_buffer"));
                    cb.call(fanotifyOverflows.sum(), "fanotify");
                }).register(registry);
        GaugeWithCallback.builder().name("driftguard_store_size_bytes")
                .help("Bytes the store's events take")
                .callback(cb -> read("driftguard_store_size_bytes", sources.storeBytes()).ifPresent(cb::call)).register(registry);
        outputMetrics(sources);
        scannerMetrics(sources);
    }

    private void outputMetrics(MetricSources sources) {
        CounterWithCallback.builder().name("driftguard_output_events_total")
                .help("Events each [[output]] sent, or dropped (queue full, or given up on)")
                .labelNames("output", "result")
                .callback(cb -> sources.outputs().get().forEach(o -> {
                    cb.call(o.sent(), o.name(), "sent");
                    cb.call(o.dropped(), o.name(), "dropped");
                })).register(registry);
        GaugeWithCallback.builder().name("driftguard_output_queued_events")
                .help("Events waiting in each [[output]]'s queue")
                .labelNames("output")
                .callback(cb -> sources.outputs().get().forEach(o -> cb.call(o.queued(), o.name()))).register(registry);
    }

    /** From the scanner's history in the store it shares with the daemon; absent until a scan has finished. */
    private void scannerMetrics(MetricSources sources) {
        GaugeWithCallback.builder().name("driftguard_scanner_last_run_timestamp_seconds")
                .help("When the registry scanner's last run finished (Unix time)")
                .callback(cb -> lastScan(sources).ifPresent(run -> cb.call(run.finishedEpochMillis() / 1000.0))).register(registry);
        GaugeWithCallback.builder().name("driftguard_scanner_findings")
                .help("Findings of the registry scanner's last run, by type")
                .labelNames("type")
                .callback(cb -> lastScan(sources).ifPresent(run -> {
                    cb.call(run.drift(), "drift");
                    cb.call(run.tamper(), "tamper");
                    cb.call(run.errors(), "error");
                })).register(registry);
        GaugeWithCallback.builder().name("driftguard_scanner_tags")
                .help("Tags the registry scanner's last run checked")
                .callback(cb -> lastScan(sources).ifPresent(run -> cb.call(run.tags()))).register(registry);
    }

    private Optional<MetricSources.ScanRun> lastScan(MetricSources sources) {
        try {
            return sources.lastScan().read();
        } catch (Exception e) {
            failedRead("driftguard_scanner", e);
            return Optional.empty();
        }
    }

    private Optional<Double> read(String metric, MetricSources.Measure measure) {
        try {
            return Optional.of((double) measure.read());
        } catch (Exception e) {
            failedRead(metric, e);
            return Optional.empty();
        }
    }

    private void failedRead(String metric, Exception e) {
        scrapeErrors.labelValues(metric).inc();
        LOG.debug("metrics: cannot read " + metric + ": " + e.getMessage());
    }

    /** Counts each event as what it stands for; the daemon's drop reports count as the drops they report. */
    @Override
    public void accept(Event event) {
        String lost = event.details().get("dropped");
        if (event.kind() == EventKind.DAEMON && lost != null && !event.details().containsKey("output")) {
            String reason = event.details().containsKey("outbox") ? "outbox_full" : event.containerId() == null ? "queue_full" : "rate_limit";
            dropped.labelValues(reason).inc(Long.parseLong(lost));
        }
        long count = event.repeats() == null || lost != null ? 1 : event.repeats().count();
        events.labelValues(event.kind().wire(), event.action().wire(), event.policy() == null ? "" : event.policy()).inc(count);
    }

    /** One exec answer; called on the decision threads (counters and histograms are lock-free). */
    public void answered(boolean allowed, boolean byFailMode, long nanos) {
        decisions.labelValues(allowed ? "allow" : "deny", byFailMode ? "fail_mode" : "rules").inc();
        decisionSeconds.observe(nanos / 1e9);
    }

    public void fanotifyOverflowed() {
        fanotifyOverflows.increment();
    }

    /** Serves /metrics on the exporter's own daemon threads; returns the port it listens on. */
    public int serve(MetricsSettings settings) throws IOException {
        server = HTTPServer.builder().inetAddress(settings.host()).port(settings.port()).registry(registry).buildAndStart();
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}

package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.Repeats;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One output on its own thread behind a bounded queue, so that a slow or dead receiver holds up
 * nothing else: {@link #accept} (called by the event dispatcher) never waits. An event that finds
 * the queue full, or that the delivery gave up on, is counted; the counts go out as one daemon
 * event ({@code details.output}, {@code details.dropped}, with a count): at once, then while the
 * output keeps failing at most every {@link #FIRST_REPORT}, twice as long each time up to
 * {@link #LAST_REPORT}, so that a receiver down for days does not fill the store with reports.
 * That event reaches every sink but this output, where it would be lost the same way.
 */
public final class OutputWorker implements EventSink {
    private static final Log LOG = Log.of(OutputWorker.class);
    static final Duration FIRST_REPORT = Duration.ofSeconds(5);
    static final Duration LAST_REPORT = Duration.ofMinutes(5);
    /** How long close waits for queued events to go out. */
    private static final Duration DRAIN = Duration.ofSeconds(3);

    private final String name;
    private final Delivery delivery;
    private final BlockingQueue<Event> queue;
    private final Consumer<Event> report;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean reopen;
    private volatile boolean closing;
    // Written by the worker thread only.
    private long reportedQueueFull;
    private long reportedFailed;
    private Instant nextReport = Instant.MIN;
    private Duration reportEvery = FIRST_REPORT;
    private Instant firstUnreported;
    private String lastError;

    /** {@code report} publishes the drop events; it is only called from this output's thread. */
    OutputWorker(String name, int queueSize, Delivery delivery, Consumer<Event> report) {
        this.name = name;
        this.delivery = delivery;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.report = report;
        this.thread = new Thread(this::run, "driftguard-output-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public String name() {
        return name;
    }

    /** Where it sends: a path, an address, a URL. */
    public String target() {
        return delivery.target();
    }

    @Override
    public void accept(Event event) {
        if (name.equals(event.details().get("output")) && event.details().containsKey("dropped")) {
            return;
        }
        if (!queue.offer(event)) {
            queueFull.incrementAndGet();
        }
    }

    /** Opens files and connections anew before the next event (SIGHUP). */
    public void reopen() {
        reopen = true;
    }

    public long sent() {
        return sent.get();
    }

    /** Events that did not go out: the queue was full, or the delivery gave up. */
    public long dropped() {
        return queueFull.get() + failed.get();
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        while (!closing || !queue.isEmpty()) {
            Event event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (reopen) {
                reopen = false;
                delivery.reopen();
            }
            if (event != null) {
                try {
                    delivery.deliver(event);
                    sent.incrementAndGet();
                    recovered(Instant.now());
                } catch (InterruptedException e) {
                    failed.incrementAndGet();
                    break;
                } catch (Exception e) {
                    failed.incrementAndGet();
                    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
            }
            reportDrops(Instant.now());
        }
    }

    /** After a delivery: the next failures are reported soon again. */
    private void recovered(Instant now) {
        reportEvery = FIRST_REPORT;
        if (nextReport.isAfter(now.plus(FIRST_REPORT))) {
            nextReport = now.plus(FIRST_REPORT);
        }
    }

    private void reportDrops(Instant now) {
        long full = queueFull.get() - reportedQueueFull;
        long gaveUp = failed.get() - reportedFailed;
        if (full + gaveUp == 0) {
            return;
        }
        if (firstUnreported == null) {
            firstUnreported = now;
        }
        if (now.isBefore(nextReport)) {
            return;
        }
        reportedQueueFull += full;
        reportedFailed += gaveUp;
        nextReport = now.plus(reportEvery);
        reportEvery = reportEvery.multipliedBy(2).compareTo(LAST_REPORT) > 0 ? LAST_REPORT : reportEvery.multipliedBy(2);
        String why = (full > 0 ? full + " found its queue full" : "")
                + (full > 0 && gaveUp > 0 ? ", " : "")
                + (gaveUp > 0 ? gaveUp + " could not be delivered: " + Printable.of(lastError) : "");
        report.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                .time(now)
                .detail("output", name)
                .detail("dropped", Long.toString(full + gaveUp))
                .repeats(new Repeats(full + gaveUp, firstUnreported, now))
                .message((full + gaveUp) + " events were not sent to output " + name + " (" + delivery.target() + "): " + why)
                .build());
        firstUnreported = null;
    }

    /** Lets the queued events go out for a few seconds, then stops; what is left is logged as lost. */
    @Override
    public void close() throws Exception {
        closing = true;
        thread.join(DRAIN.toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1000);
        }
        int left = queue.size();
        if (left > 0 || dropped() > reportedQueueFull + reportedFailed) {
            LOG.warn("output " + name + ": " + (left + dropped() - reportedQueueFull - reportedFailed)
                    + " events not sent at shutdown");
        }
        delivery.close();
    }
}

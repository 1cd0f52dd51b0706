package io.driftguard.core.event;

import io.driftguard.core.log.Log;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Hands events from the decision paths to the sinks. {@link #publish} never blocks: the kernel is
 * waiting for an answer while a decision is made, so a full queue drops the event and counts it,
 * and the count is reported as an event of its own once there is room again.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Log LOG = Log.of(EventDispatcher.class);
    private static final Event STOP = Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).message("stop").build();
    /** Events handed to the sinks at once when they arrive faster than one at a time (unthrottled only). */
    private static final int BATCH = 256;

    private final BlockingQueue<Event> queue;
    private final List<EventSink> sinks;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final EventThrottle throttle;
    private final UnaryOperator<Event> details;
    private long droppedReported;
    private Instant nextDue = Instant.MIN;

    /** A dispatcher that delivers every event as it is. */
    public EventDispatcher(List<EventSink> sinks, int capacity) {
        this(sinks, capacity, null);
    }

    /** A dispatcher whose events pass {@code throttle} (aggregation and rate limit) first; null for none. */
    public EventDispatcher(List<EventSink> sinks, int capacity, EventThrottle throttle) {
        this(sinks, capacity, throttle, UnaryOperator.identity());
    }

    /**
     * A dispatcher that first completes each event with {@code details} (on its writer thread, never
     * on the caller's: lookups such as a user name in a container's files stay off the decision
     * paths), then throttles it. A detail that fails leaves the event as it was.
     */
    public EventDispatcher(List<EventSink> sinks, int capacity, EventThrottle throttle, UnaryOperator<Event> details) {
        this.details = details;
        this.throttle = throttle;
        this.sinks = List.copyOf(sinks);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "driftguard-events");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues the event; returns false when it had to be dropped. */
    public boolean publish(Event event) {
        if (queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Sink failures (a full disk, a journald restart) and failed detail lookups, counted so that status can show them. */
    public long failed() {
        return failed.get();
    }

    private void drain() {
        while (true) {
            Event event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == STOP) {
                if (throttle != null) {
                    throttle.flush().forEach(this::deliver);
                }
                return;
            }
            if (throttle == null) {
                if (event != null && deliverQueued(event)) {
                    return;
                }
            } else {
                if (event != null) {
                    throttle.offer(withDetails(event)).forEach(this::deliver);
                }
                Instant now = Instant.now();
                if (!now.isBefore(nextDue)) { // windows are checked once a second, not per event
                    nextDue = now.plusSeconds(1);
                    throttle.due(now).forEach(this::deliver);
                }
            }
            reportDrops();
        }
    }

    /**
     * Delivers {@code first} with what is queued behind it, up to {@link #BATCH}, to each sink at
     * once (a burst, such as a registry run's findings, is one store transaction instead of one per
     * event). True when the stop mark was among them: everything before it has been delivered.
     */
    private boolean deliverQueued(Event first) {
        List<Event> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        int stop = batch.indexOf(STOP);
        List<Event> events = (stop < 0 ? batch : batch.subList(0, stop)).stream().map(this::withDetails).toList();
        for (EventSink sink : sinks) {
            try {
                sink.acceptAll(events);
            } catch (Exception e) {
                if (failed.getAndAdd(events.size()) % 1000 == 0) {
                    LOG.error("event sink " + sink.getClass().getSimpleName() + " failed: " + e);
                }
            }
        }
        return stop >= 0;
    }

    private Event withDetails(Event event) {
        try {
            return details.apply(event);
        } catch (RuntimeException e) {
            if (failed.incrementAndGet() % 1000 == 1) {
                LOG.error("event details failed: " + e);
            }
            return event;
        }
    }

    private void reportDrops() {
        long now = dropped.get();
        if (now > droppedReported) {
            long lost = now - droppedReported;
            droppedReported = now;
            deliver(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH)
                    .detail("dropped", Long.toString(lost))
                    .message(lost + " events were dropped because the event queue was full")
                    .build());
        }
    }

    private void deliver(Event event) {
        for (EventSink sink : sinks) {
            try {
                sink.accept(event);
            } catch (Exception e) {
                if (failed.incrementAndGet() % 1000 == 1) {
                    LOG.error("event sink " + sink.getClass().getSimpleName() + " failed: " + e);
                }
            }
        }
    }

    /** Delivers what is queued, waiting at most the given time, then closes the sinks. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (!queue.offer(STOP, 2, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } finally {
            for (EventSink sink : sinks) {
                try {
                    sink.close();
                } catch (Exception e) {
                    LOG.warn("closing event sink " + sink.getClass().getSimpleName() + ": " + e);
                }
            }
        }
    }
}

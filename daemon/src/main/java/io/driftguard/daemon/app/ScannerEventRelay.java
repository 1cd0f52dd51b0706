package io.driftguard.daemon.app;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventFollower;
import io.driftguard.core.store.StoredEvent;
import io.driftguard.core.store.EventQuery;
import io.driftguard.core.store.EventStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The registry scanner is a process of its own that writes its findings to the store and journald;
 * this hands the ones it recorded for this host after the daemon started to the [[output]]s (and
 * the metrics), so that drift and tamper findings reach the same receivers as the daemon's events.
 * It reads the store the scanner writes to: the daemon's own store, or with {@code [store] url} the
 * shared one, which is opened on the relay's thread and tried again at each poll until it answers.
 * A poll that fails is tried again from the same place: nothing is skipped.
 */
final class ScannerEventRelay implements AutoCloseable {
    private static final Log LOG = Log.of(ScannerEventRelay.class);
    static final Duration EVERY = Duration.ofSeconds(5);

    /** Opens the follower of the scanner's events; called at each poll until it succeeds. */
    interface Source {
        EventFollower open() throws SQLException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driftguard-scanner-relay");
        t.setDaemon(true);
        return t;
    });
    private final String where;
    private final Source source;
    private final List<EventSink> sinks;
    /** Only touched by the timer's thread (or a test's calls to {@link #poll}). */
    private EventFollower follower;
    private long failures;

    ScannerEventRelay(String where, Source source, List<EventSink> sinks) {
        this.where = where;
        this.source = source;
        this.sinks = sinks;
    }

    /** Follows the daemon's own store {@code store} from its newest event; {@code sinks} must take events from any thread. */
    static ScannerEventRelay start(EventStore store, String where, List<EventSink> sinks) throws SQLException {
        return new ScannerEventRelay(where, localSource(store), sinks).schedule(EVERY);
    }

    /**
     * Follows the shared store {@code shared} (which may not answer yet) from the events recorded
     * for {@code hostId} from now on: the first poll that reaches it reads those, however late.
     */
    static ScannerEventRelay startShared(Database shared, String hostId, List<EventSink> sinks) {
        return new ScannerEventRelay(shared.settings().toString(), sharedSource(shared, hostId, Instant.now()), sinks).schedule(EVERY);
    }

    /** The scanner's events in the daemon's own store after its newest one now. */
    static Source localSource(EventStore store) throws SQLException {
        long from = store.lastId();
        return () -> new EventFollower(store, query(null), from);
    }

    /** The scanner's events in {@code shared} for {@code hostId} from {@code since} on. */
    static Source sharedSource(Database shared, String hostId, Instant since) {
        return () -> new EventFollower(new EventStore(shared, hostId), query(since), 0);
    }

    /** This host's registry events (and those without a host id), from {@code since} (null: any time). */
    private static EventQuery query(Instant since) {
        return new EventQuery(since, null, EventKind.REGISTRY, 1, false);
    }

    private ScannerEventRelay schedule(Duration every) {
        timer.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One poll: the events recorded since the last one that succeeded, to every sink. */
    void poll() {
        List<Event> fresh;
        try {
            if (follower == null) {
                follower = source.open();
            }
            fresh = follower.poll(Instant.now()).stream().map(StoredEvent::event).toList();
        } catch (SQLException | RuntimeException e) {
            if (failures++ == 0) {
                LOG.warn("cannot read the scanner's events from " + where + " (tried again every " + EVERY.toSeconds()
                        + "s from the same place): " + e.getMessage());
            } else {
                LOG.debug("still cannot read the scanner's events from " + where + ": " + e.getMessage());
            }
            return;
        }
        if (failures > 0) {
            LOG.info("reading the scanner's events from " + where + " again, after " + failures + " failed polls");
            failures = 0;
        }
        for (Event event : fresh) {
            for (EventSink sink : sinks) {
                try {
                    sink.accept(event);
                } catch (Exception e) {
                    LOG.warn("relaying a scanner event: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
